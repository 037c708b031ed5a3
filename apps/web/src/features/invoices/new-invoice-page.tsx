import type { RouterInputs } from '@crm/trpc';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

type Draft = RouterInputs['invoices']['createDraft'];
type Method = NonNullable<Draft['paymentMethod']>;
interface LineForm { label: string; quantity: string; unitPrice: string; vatRate: string; supplyKind: 'services' | 'goods' }

const RATES = [
  { value: '2000', label: '20 %' },
  { value: '1000', label: '10 %' },
  { value: '550', label: '5,5 %' },
  { value: '210', label: '2,1 %' },
  { value: '0', label: '0 %' },
];
const emptyLine = (): LineForm => ({ label: '', quantity: '1', unitPrice: '', vatRate: '2000', supplyKind: 'services' });
/** Euros as typed ("1 234,50") to cents; what is not a number travels as NaN and the server names it. */
const cents = (value: string) => Math.round(Number(value.replace(/\s/g, '').replace(',', '.')) * 100);

/** Nouvelle facture: a manual draft for a client (one-off fees, goods), issued from its page. */
export function NewInvoicePage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const clientId = params.get('client') ?? '';
  const client = useQuery({ ...trpc.clients.get.queryOptions({ clientId }), enabled: clientId !== '' });
  const [lines, setLines] = useState<LineForm[]>([emptyLine()]);
  const [deliveryDate, setDeliveryDate] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [paymentMethod, setPaymentMethod] = useState<Method>('transfer');
  const create = useMutation(trpc.invoices.createDraft.mutationOptions({ onSuccess: (draft) => void navigate(`/factures/${draft.id}`) }));
  const errors = fieldErrorsOf(create.error);
  const n = t.invoices.form;
  const setLine = (index: number, patch: Partial<LineForm>) => setLines((all) => all.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const totalNet = lines.reduce((sum, l) => sum + (Number.isFinite(cents(l.unitPrice)) ? cents(l.unitPrice) * (Number(l.quantity) || 0) : 0), 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      clientId,
      lines: lines.map((l) => ({ label: l.label, quantity: Number(l.quantity), unitPriceCents: cents(l.unitPrice), vatRateBasisPoints: Number(l.vatRate), supplyKind: l.supplyKind })),
      paymentMethod,
      ...(deliveryDate ? { deliveryDate } : {}),
      ...(dueDate ? { dueDate } : {}),
    });
  };
  if (!clientId) return <p>{n.noClient}</p>;
  return (
    <section className="stack">
      <Link to={`/clients/${clientId}`}>{n.back}</Link>
      <h1>{n.title(client.data?.displayName ?? '')}</h1>
      <form className="card stack" onSubmit={submit} noValidate aria-label={n.titleShort}>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error)} />
        {lines.map((line, i) => (
          <fieldset key={i} className="grid" aria-label={n.lineN(i + 1)}>
            <TextField label={n.label} name={`lines.${i}.label`} errors={errors} value={line.label} onChange={(e) => setLine(i, { label: e.target.value })} />
            <TextField label={n.quantity} name={`lines.${i}.quantity`} errors={errors} inputMode="numeric" value={line.quantity} onChange={(e) => setLine(i, { quantity: e.target.value })} />
            <TextField label={n.unitPrice} name={`lines.${i}.unitPriceCents`} errors={errors} inputMode="decimal" value={line.unitPrice} onChange={(e) => setLine(i, { unitPrice: e.target.value })} />
            <SelectField label={n.vatRate} name={`lines.${i}.vatRateBasisPoints`} errors={errors} value={line.vatRate} onChange={(e) => setLine(i, { vatRate: e.target.value })} options={RATES} />
            <SelectField label={n.supplyKind} name={`lines.${i}.supplyKind`} errors={errors} value={line.supplyKind} onChange={(e) => setLine(i, { supplyKind: e.target.value as LineForm['supplyKind'] })}
              options={[{ value: 'services', label: n.services }, { value: 'goods', label: n.goods }]} />
            {lines.length > 1 && <button type="button" className="button button--ghost" onClick={() => setLines((all) => all.filter((_, j) => j !== i))}>{n.removeLine}</button>}
          </fieldset>
        ))}
        <div><button type="button" className="button button--ghost" onClick={() => setLines((all) => [...all, emptyLine()])}>{n.addLine}</button></div>
        <div className="grid">
          <TextField label={n.deliveryDate} name="deliveryDate" type="date" errors={errors} value={deliveryDate} onChange={(e) => setDeliveryDate(e.target.value)} hint={n.deliveryHint} />
          <TextField label={n.dueDate} name="dueDate" type="date" errors={errors} value={dueDate} onChange={(e) => setDueDate(e.target.value)} hint={n.dueHint} />
          <SelectField label={n.paymentMethod} name="paymentMethod" errors={errors} value={paymentMethod} onChange={(e) => setPaymentMethod(e.target.value as Method)}
            options={Object.entries(t.invoices.methods).filter(([value]) => value !== 'sepa_debit').map(([value, label]) => ({ value, label }))} />
        </div>
        <p>{n.totalNet(formatEur(totalNet))}</p>
        <div className="actions"><button type="submit" className="button button--primary" disabled={create.isPending}>{n.create}</button></div>
      </form>
    </section>
  );
}
