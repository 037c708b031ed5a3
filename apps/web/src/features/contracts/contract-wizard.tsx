import type { RouterInputs } from '@crm/trpc';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { ibanLooksValid, vatOf } from './contract-common.tsx';

type CreateInput = RouterInputs['contracts']['create'];
type PaymentMethod = CreateInput['paymentMethod'];
type Frequency = NonNullable<CreateInput['billingFrequency']>;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/** /contrats/nouveau?client=<id>: client, products and quantities, dates, payment, preview of totals. */
export function NewContractPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [clientId, setClientId] = useState(params.get('client') ?? '');
  const [clientSearch, setClientSearch] = useState('');
  const [lines, setLines] = useState([{ productId: '', quantity: '1' }]);
  const [form, setForm] = useState({
    startDate: today(),
    durationMonths: '12',
    tacitRenewal: true,
    billingFrequency: '' as Frequency | '',
    paymentMethod: 'sepa_debit' as PaymentMethod,
    debtorName: '',
    debtorIban: '',
    debtorBic: '',
  });
  const client = useQuery({ ...trpc.clients.get.queryOptions({ clientId }), enabled: Boolean(clientId) });
  const candidates = useQuery({ ...trpc.clients.list.queryOptions({ search: clientSearch, limit: 10 }), enabled: !clientId && clientSearch.trim().length > 1 });
  const products = useQuery(trpc.products.list.queryOptions({ active: true }));
  const vatRates = useQuery(trpc.referentiel.vatRates.queryOptions());
  const create = useMutation(trpc.contracts.create.mutationOptions({ onSuccess: (contract) => void navigate(`/contrats/${contract.id}`) }));
  const errors = fieldErrorsOf(create.error);
  const ibanTyped = form.debtorIban.trim() !== '';
  const ibanOk = ibanLooksValid(form.debtorIban);
  if (ibanTyped && !ibanOk && !errors.debtorIban) errors.debtorIban = [t.contracts.ibanInvalid];

  const preview = lines.flatMap((line) => {
    const product = products.data?.find((p) => p.id === line.productId);
    const rate = vatRates.data?.find((r) => r.code === product?.vatRateCode)?.rateBasisPoints;
    const quantity = Number(line.quantity);
    if (!product || product.priceCents === null || rate === undefined || !Number.isInteger(quantity) || quantity < 1) return [];
    const htCents = quantity * product.priceCents;
    return [{ htCents, vatCents: vatOf(htCents, rate) }];
  });
  const totals = preview.reduce((sum, line) => ({ ht: sum.ht + line.htCents, vat: sum.vat + line.vatCents }), { ht: 0, vat: 0 });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sepa = form.paymentMethod === 'sepa_debit';
    create.mutate({
      clientId,
      lines: lines.filter((line) => line.productId).map((line) => ({ productId: line.productId, quantity: Number(line.quantity) })),
      startDate: form.startDate,
      durationMonths: Number(form.durationMonths),
      tacitRenewal: form.tacitRenewal,
      paymentMethod: form.paymentMethod,
      ...(form.billingFrequency ? { billingFrequency: form.billingFrequency } : {}),
      ...(sepa && form.debtorName.trim() ? { debtorName: form.debtorName } : {}),
      ...(sepa && ibanTyped ? { debtorIban: form.debtorIban } : {}),
      ...(sepa && form.debtorBic.trim() ? { debtorBic: form.debtorBic } : {}),
    });
  };
  const productOptions = [{ value: '', label: t.contracts.chooseProduct }, ...(products.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.priceCents === null ? '—' : formatEur(p.priceCents)})` }))];
  return (
    <section className="stack">
      <Link to="/contrats">{t.contracts.back}</Link>
      <h1>{t.contracts.newContract}</h1>
      <form className="card stack" onSubmit={submit} noValidate>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error)} />
        {clientId ? (
          <p>
            <strong>{t.contracts.chooseClient} :</strong> {client.data?.displayName ?? (client.isError ? messageOf(client.error) : t.app.loading)}{' '}
            {!params.get('client') && <button type="button" className="button button--ghost" onClick={() => setClientId('')}>×</button>}
          </p>
        ) : (
          <div>
            <TextField label={t.contracts.clientSearch} name="clientId" errors={errors} value={clientSearch} onChange={(e) => setClientSearch(e.target.value)} />
            <ul>
              {candidates.data?.items.map((c) => (
                <li key={c.id}><button type="button" className="button button--ghost" onClick={() => setClientId(c.id)}>{c.displayName}</button></li>
              ))}
            </ul>
          </div>
        )}
        <h2>{t.contracts.lines}</h2>
        {lines.map((line, index) => (
          <div className="grid" key={index}>
            <SelectField label={`${t.contracts.product} ${index + 1}`} name={`lines.${index}.productId`} errors={errors} value={line.productId} options={productOptions}
              onChange={(e) => setLines(lines.map((l, i) => (i === index ? { ...l, productId: e.target.value } : l)))} />
            <TextField label={`${t.contracts.quantity} ${index + 1}`} name={`lines.${index}.quantity`} errors={errors} inputMode="numeric" value={line.quantity}
              onChange={(e) => setLines(lines.map((l, i) => (i === index ? { ...l, quantity: e.target.value } : l)))} />
            {lines.length > 1 && <div className="actions"><button type="button" className="button button--ghost" onClick={() => setLines(lines.filter((_, i) => i !== index))}>{t.contracts.removeLine}</button></div>}
          </div>
        ))}
        {errors.lines && <p className="field__error" role="alert">{errors.lines.join(' ')}</p>}
        <div><button type="button" className="button button--ghost" onClick={() => setLines([...lines, { productId: '', quantity: '1' }])}>{t.contracts.addLine}</button></div>
        <div className="grid">
          <TextField label={t.contracts.startDate} name="startDate" type="date" errors={errors} value={form.startDate} onChange={(e) => setForm({ ...form, startDate: e.target.value })} />
          <TextField label={t.contracts.duration} name="durationMonths" inputMode="numeric" errors={errors} value={form.durationMonths} onChange={(e) => setForm({ ...form, durationMonths: e.target.value })} />
          <SelectField label={t.contracts.frequency} name="billingFrequency" errors={errors} value={form.billingFrequency}
            onChange={(e) => setForm({ ...form, billingFrequency: e.target.value as Frequency | '' })}
            options={[{ value: '', label: t.contracts.frequencyDefault }, ...Object.entries(t.products.frequencies).map(([value, label]) => ({ value, label }))]} />
          <SelectField label={t.contracts.paymentMethod} name="paymentMethod" errors={errors} value={form.paymentMethod}
            onChange={(e) => setForm({ ...form, paymentMethod: e.target.value as PaymentMethod })}
            options={Object.entries(t.contracts.paymentMethods).map(([value, label]) => ({ value, label }))} />
        </div>
        <label className="checkbox"><input type="checkbox" checked={form.tacitRenewal} onChange={(e) => setForm({ ...form, tacitRenewal: e.target.checked })} /> {t.contracts.tacitRenewal}</label>
        {form.paymentMethod === 'sepa_debit' && (
          <div className="grid">
            <TextField label={t.contracts.debtorName} name="debtorName" errors={errors} value={form.debtorName} placeholder={client.data?.displayName} onChange={(e) => setForm({ ...form, debtorName: e.target.value })} />
            <TextField label={t.contracts.iban} name="debtorIban" errors={errors} value={form.debtorIban} autoComplete="off"
              hint={ibanTyped && ibanOk ? t.contracts.ibanValid : undefined} onChange={(e) => setForm({ ...form, debtorIban: e.target.value })} />
            <TextField label={t.contracts.bic} name="debtorBic" errors={errors} value={form.debtorBic} onChange={(e) => setForm({ ...form, debtorBic: e.target.value })} />
          </div>
        )}
        <div className="card">
          <h2>{t.contracts.preview}</h2>
          <dl className="facts">
            <dt>{t.contracts.totalHt}</dt><dd>{formatEur(totals.ht)}</dd>
            <dt>{t.contracts.totalVat}</dt><dd>{formatEur(totals.vat)}</dd>
            <dt>{t.contracts.totalTtc}</dt><dd data-testid="preview-ttc">{formatEur(totals.ht + totals.vat)}</dd>
          </dl>
        </div>
        <div className="actions">
          <button className="button button--primary" type="submit" disabled={!clientId || create.isPending}>{t.contracts.create}</button>
        </div>
      </form>
    </section>
  );
}
