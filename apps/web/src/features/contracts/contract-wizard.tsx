import { ibanFeedback, parisDay, priceForPeriod } from '@crm/domain/browser';
import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatPrice, friendlyIban } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { vatOf } from './contract-common.tsx';
import { SchedulePreview } from './schedule-preview.tsx';

type CreateInput = RouterInputs['contracts']['create'];
type UpdateInput = RouterInputs['contracts']['update'];
type Contract = RouterOutputs['contracts']['get'];
type Product = RouterOutputs['products']['list'][number];
type PaymentMethod = CreateInput['paymentMethod'];
type Frequency = NonNullable<CreateInput['billingFrequency']>;
type SepaScheme = NonNullable<CreateInput['sepaScheme']>;

/**
 * A line as the form holds it. A line read from a saved draft keeps its unit price and label
 * while its product stays the same (so saving an unrelated change does not re-price it); choosing
 * another product drops them and the server takes that product's price at the start date.
 */
interface LineState {
  productId: string;
  quantity: string;
  unitPriceCents?: number;
  label?: string;
}

const today = () => parisDay(new Date());

/** The price of a product in effect on `day` (the latest starting on or before it), as the server picks it. */
const priceOn = (product: Product, day: string) => product.priceHistory.find((price) => price.effectiveFrom <= day)?.priceCents ?? null;

/** /contrats/nouveau?client=<id>: client, products and quantities, dates, payment, previews. */
export function NewContractPage() {
  const [params] = useSearchParams();
  return (
    <section className="stack">
      <Link to="/contrats">{t.contracts.back}</Link>
      <h1>{t.contracts.newContract}</h1>
      <ContractWizard initialClientId={params.get('client') ?? ''} />
    </section>
  );
}

/** /contrats/:id/modifier: the same wizard, filled with the draft, saved through contracts.update. */
export function EditContractPage() {
  const { contractId = '' } = useParams();
  const trpc = useTRPC();
  const canWrite = useCan('contracts.write');
  const contract = useQuery(trpc.contracts.get.queryOptions({ contractId }));
  if (!contract.data) return <p>{contract.isError ? messageOf(contract.error) : t.app.loading}</p>;
  const c = contract.data;
  return (
    <section className="stack">
      <Link to={`/contrats/${c.id}`}>← {c.number}</Link>
      <h1>{t.contracts.editTitle(c.number)}</h1>
      {c.status !== 'draft' || !canWrite ? (
        <p className="notice">{canWrite ? t.contracts.notEditable(t.contracts.statuses[c.status]) : t.contracts.readOnly}</p>
      ) : (
        // Keyed by the last change, so a draft saved elsewhere meanwhile is shown afresh.
        <ContractWizard key={c.updatedAt} contract={c} initialClientId={c.client.id} />
      )}
    </section>
  );
}

interface FormState {
  startDate: string;
  durationMonths: string;
  tacitRenewal: boolean;
  /** '' on a new contract: the first product's frequency. */
  billingFrequency: Frequency | '';
  paymentMethod: PaymentMethod;
  debtorName: string;
  debtorIban: string;
  debtorBic: string;
  sepaScheme: SepaScheme;
}

function initialForm(contract: Contract | undefined): FormState {
  return {
    startDate: contract?.startDate ?? today(),
    durationMonths: String(contract?.durationMonths ?? 12),
    tacitRenewal: contract?.tacitRenewal ?? true,
    billingFrequency: contract?.billingFrequency ?? '',
    paymentMethod: contract?.paymentMethod ?? 'sepa_debit',
    debtorName: contract?.debtorName ?? '',
    debtorIban: contract?.debtorIban ? friendlyIban(contract.debtorIban) : '',
    debtorBic: contract?.debtorBic ?? '',
    sepaScheme: contract?.sepaScheme ?? 'CORE',
  };
}

function initialLines(contract: Contract | undefined): LineState[] {
  if (!contract?.lines.length) return [{ productId: '', quantity: '1' }];
  // A line whose product no longer exists has to be given one again before the draft is saved.
  return contract.lines.map((line) =>
    line.productId ? { productId: line.productId, quantity: String(line.quantity), unitPriceCents: line.unitPriceCents, label: line.label } : { productId: '', quantity: String(line.quantity) },
  );
}

const linesInput = (lines: LineState[], price: (line: LineState) => number | undefined) =>
  lines
    .filter((line) => line.productId)
    .map((line) => ({
      productId: line.productId,
      quantity: Number(line.quantity),
      ...(price(line) !== undefined ? { unitPriceCents: price(line) } : {}),
      ...(line.label !== undefined ? { label: line.label } : {}),
    }));

function ContractWizard({ contract, initialClientId }: { contract?: Contract; initialClientId: string }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const editing = contract !== undefined;
  const [clientId, setClientId] = useState(initialClientId);
  const [clientSearch, setClientSearch] = useState('');
  const [lines, setLines] = useState(() => initialLines(contract));
  const [form, setForm] = useState(() => initialForm(contract));
  const [ibanLeft, setIbanLeft] = useState(editing);
  const client = useQuery({ ...trpc.clients.get.queryOptions({ clientId }), enabled: Boolean(clientId) });
  const candidates = useQuery({ ...trpc.clients.list.queryOptions({ search: clientSearch, limit: 10 }), enabled: !clientId && clientSearch.trim().length > 1 });
  const products = useQuery(trpc.products.list.queryOptions({ active: true }));
  const vatRates = useQuery(trpc.referentiel.vatRates.queryOptions());
  const organisation = useQuery(trpc.organisations.get.queryOptions());
  const saved = (result: Contract) => {
    void queryClient.invalidateQueries({ queryKey: trpc.contracts.pathKey() });
    void navigate(`/contrats/${result.id}`);
  };
  const create = useMutation(trpc.contracts.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.contracts.update.mutationOptions({ onSuccess: saved }));
  const mutation = editing ? update : create;
  const errors = fieldErrorsOf(mutation.error);
  // A line's price or label has no field of its own here: its product's field shows the message.
  for (const [key, messages] of Object.entries(errors)) {
    const line = /^lines\.(\d+)\.(unitPriceCents|label)$/.exec(key);
    if (line) errors[`lines.${line[1]}.productId`] = [...(errors[`lines.${line[1]}.productId`] ?? []), ...messages];
  }

  // The IBAN is checked as it is typed, by the domain's rule (the very check the server makes); an
  // IBAN still being typed is only a hint until the field is left.
  const sepa = form.paymentMethod === 'sepa_debit';
  // B2B is offered for a company (the server refuses it for a consumer, with the same message).
  const b2bAllowed = client.data?.kind === 'company';
  const iban = ibanFeedback(form.debtorIban);
  if (!errors.debtorIban && (iban.status === 'invalid' || (iban.status === 'incomplete' && ibanLeft))) errors.debtorIban = [iban.message];
  const ibanHint = iban.status === 'valid' ? t.contracts.ibanValid : iban.status === 'incomplete' ? iban.message : t.contracts.ibanOptional;

  // The contract's period: the one chosen, else its first product's (as the server decides).
  const firstProduct = products.data?.find((p) => p.id === lines[0]?.productId);
  const frequency = form.billingFrequency || (firstProduct?.billingFrequency ?? null);
  // A saved line's price is per period of the saved contract (the wizard has no price field):
  // a new period converts it, as the server converts the lines when only the period changes.
  const savedPrice = (line: LineState): number | undefined => {
    if (line.unitPriceCents === undefined || !contract || !frequency || frequency === contract.billingFrequency) return line.unitPriceCents;
    return priceForPeriod(line.unitPriceCents, contract.billingFrequency, frequency) ?? line.unitPriceCents;
  };
  const resolved = lines.map((line) => {
    const product = products.data?.find((p) => p.id === line.productId);
    const rate = vatRates.data?.find((r) => r.code === product?.vatRateCode)?.rateBasisPoints;
    // A catalogue price is for its product's period; the line's, for the contract's (the server's rule).
    const catalogue = product ? priceOn(product, form.startDate) : null;
    const unitPriceCents = savedPrice(line) ?? (product && catalogue !== null && frequency ? priceForPeriod(catalogue, product.billingFrequency, frequency) : catalogue);
    const quantity = Number(line.quantity);
    if (!product || unitPriceCents === null || rate === undefined || !Number.isInteger(quantity) || quantity < 1) return null;
    return { quantity, unitPriceCents, vatRateBasisPoints: rate, frequency: frequency ?? product.billingFrequency };
  });
  const complete = resolved.filter((line) => line !== null);
  const totals = complete.reduce((sum, line) => {
    const ht = line.quantity * line.unitPriceCents;
    return { ht: sum.ht + ht, vat: sum.vat + vatOf(ht, line.vatRateBasisPoints) };
  }, { ht: 0, vat: 0 });
  // A product of another period has its price converted to the contract's: say so.
  const otherPeriod = lines.flatMap((line) => {
    const product = products.data?.find((p) => p.id === line.productId);
    return product && frequency && product.billingFrequency !== frequency ? [product.name] : [];
  });
  const debitDay = contract?.debitDay ?? organisation.data?.sepaDebitDay ?? null;

  const payload = (): Omit<CreateInput, 'clientId'> => ({
    lines: linesInput(lines, savedPrice),
    startDate: form.startDate,
    durationMonths: Number(form.durationMonths),
    tacitRenewal: form.tacitRenewal,
    paymentMethod: form.paymentMethod,
    ...(form.billingFrequency ? { billingFrequency: form.billingFrequency } : {}),
    ...(sepa ? { debtorName: form.debtorName.trim() || null, debtorIban: form.debtorIban.trim() || null, debtorBic: form.debtorBic.trim() || null, sepaScheme: b2bAllowed ? form.sepaScheme : 'CORE' } : {}),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sepa && (iban.status === 'invalid' || iban.status === 'incomplete')) {
      setIbanLeft(true);
      return;
    }
    if (!contract) {
      create.mutate({ clientId, ...payload() });
      return;
    }
    // Only what changed is sent: the audit entry names the fields really modified.
    const before = fromContract(contract);
    const changes = Object.fromEntries(Object.entries(payload()).filter(([key, value]) => !sameValue(key, value, before[key]))) as Partial<UpdateInput>;
    if (Object.keys(changes).length === 0) {
      void navigate(`/contrats/${contract.id}`);
      return;
    }
    update.mutate({ contractId: contract.id, ...changes });
  };

  const productOptions = [
    { value: '', label: t.contracts.chooseProduct },
    ...(products.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.priceCents === null ? '—' : formatPrice(p.priceCents, p.billingFrequency, 'HT')})` })),
    // A saved line whose product was since deactivated still shows what it is.
    ...lines.filter((line) => line.productId && products.data && !products.data.some((p) => p.id === line.productId))
      .map((line) => ({ value: line.productId, label: `${line.label ?? line.productId} (${t.contracts.inactiveProduct})` })),
  ];
  const setLine = (index: number, change: Partial<LineState>) => setLines(lines.map((l, i) => (i === index ? { ...l, ...change } : l)));
  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(mutation.error)} />
      {clientId ? (
        <p>
          <strong>{t.contracts.chooseClient} :</strong> {client.data?.displayName ?? (client.isError ? messageOf(client.error) : t.app.loading)}{' '}
          {!initialClientId && <button type="button" className="button button--ghost" onClick={() => setClientId('')}>×</button>}
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
            onChange={(e) => setLine(index, { productId: e.target.value, unitPriceCents: undefined, label: undefined })} />
          <TextField label={`${t.contracts.quantity} ${index + 1}`} name={`lines.${index}.quantity`} errors={errors} inputMode="numeric" value={line.quantity}
            onChange={(e) => setLine(index, { quantity: e.target.value })} />
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
          options={[...(editing ? [] : [{ value: '', label: t.contracts.frequencyDefault }]), ...Object.entries(t.products.frequencies).map(([value, label]) => ({ value, label }))]} />
        <SelectField label={t.contracts.paymentMethod} name="paymentMethod" errors={errors} value={form.paymentMethod}
          onChange={(e) => setForm({ ...form, paymentMethod: e.target.value as PaymentMethod })}
          options={Object.entries(t.contracts.paymentMethods).map(([value, label]) => ({ value, label }))} />
      </div>
      <label className="checkbox"><input type="checkbox" checked={form.tacitRenewal} onChange={(e) => setForm({ ...form, tacitRenewal: e.target.checked })} /> {t.contracts.tacitRenewal}</label>
      {sepa && (
        <>
          <div className="grid">
            <TextField label={t.contracts.debtorName} name="debtorName" errors={errors} value={form.debtorName} placeholder={client.data?.displayName} onChange={(e) => setForm({ ...form, debtorName: e.target.value })} />
            <TextField label={t.contracts.iban} name="debtorIban" errors={errors} value={form.debtorIban} autoComplete="off" spellCheck={false} hint={ibanHint}
              onChange={(e) => setForm({ ...form, debtorIban: e.target.value })} onBlur={() => setIbanLeft(true)} />
            <TextField label={t.contracts.bic} name="debtorBic" errors={errors} value={form.debtorBic} onChange={(e) => setForm({ ...form, debtorBic: e.target.value })} />
          </div>
          {b2bAllowed && (
            <SelectField label={t.contracts.sepaScheme} name="sepaScheme" errors={errors} value={form.sepaScheme} hint={t.contracts.b2bHint}
              onChange={(e) => setForm({ ...form, sepaScheme: e.target.value as SepaScheme })}
              options={Object.entries(t.contracts.sepaSchemes).map(([value, label]) => ({ value, label }))} />
          )}
        </>
      )}
      <div className="card">
        <h2>{t.contracts.preview}</h2>
        <dl className="facts">
          <dt>{t.contracts.totalHt}</dt><dd data-testid="preview-ht">{formatPrice(totals.ht, frequency, 'HT')}</dd>
          <dt>{t.contracts.totalVat}</dt><dd>{formatPrice(totals.vat, frequency, null)}</dd>
          <dt>{t.contracts.totalTtc}</dt><dd data-testid="preview-ttc">{formatPrice(totals.ht + totals.vat, frequency, 'TTC')}</dd>
        </dl>
        {frequency && otherPeriod.map((name) => <p key={name} className="notice notice--warning">{t.contracts.otherPeriod(name, t.products.frequencies[frequency].toLowerCase())}</p>)}
      </div>
      <SchedulePreview draft={{
        paymentMethod: form.paymentMethod,
        startDate: form.startDate,
        durationMonths: Number(form.durationMonths),
        frequency,
        debitDay,
        lines: complete.length === lines.length ? complete : null,
      }} />
      <div className="actions">
        {editing && <Link className="button button--ghost" to={`/contrats/${contract.id}`}>{t.contracts.cancelEdit}</Link>}
        <button className="button button--primary" type="submit" disabled={!clientId || mutation.isPending}>{editing ? t.contracts.save : t.contracts.create}</button>
      </div>
    </form>
  );
}

/** The saved draft in the shape of the form's payload, to tell what the user changed. */
function fromContract(c: Contract): Record<string, unknown> {
  return {
    lines: c.lines.map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceCents: line.unitPriceCents, label: line.label })),
    startDate: c.startDate,
    durationMonths: c.durationMonths,
    tacitRenewal: c.tacitRenewal,
    paymentMethod: c.paymentMethod,
    billingFrequency: c.billingFrequency,
    debtorName: c.debtorName,
    debtorIban: c.debtorIban,
    debtorBic: c.debtorBic,
    sepaScheme: c.sepaScheme,
  };
}

function sameValue(key: string, value: unknown, saved: unknown): boolean {
  // IBAN and BIC are stored in electronic format (no spaces, capitals).
  if ((key === 'debtorIban' || key === 'debtorBic') && typeof value === 'string') return value.replace(/\s+/g, '').toUpperCase() === saved;
  return JSON.stringify(value ?? null) === JSON.stringify(saved ?? null);
}
