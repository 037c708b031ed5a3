import { parisDay } from '@crm/domain/browser';
import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatPrice } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type Product = RouterOutputs['products']['list'][number];
type Frequency = Product['billingFrequency'];

/** Euros typed the French way ("49,90") to integer cents; NaN when it is not an amount. */
const toCents = (euros: string) => (/^\d+([.,]\d{1,2})?$/.test(euros.trim()) ? Math.round(Number(euros.trim().replace(',', '.')) * 100) : Number.NaN);
const today = () => parisDay(new Date());

export function ProductsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('products.write');
  const products = useQuery(trpc.products.list.queryOptions({}));
  const vatRates = useQuery(trpc.referentiel.vatRates.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.products.pathKey() });
  const [form, setForm] = useState({ code: '', name: '', category: '', price: '', vatRateCode: 'NORMAL', billingFrequency: 'monthly' as Frequency });
  const create = useMutation(trpc.products.create.mutationOptions({ onSuccess: () => { setForm({ ...form, code: '', name: '', price: '' }); refresh(); } }));
  const update = useMutation(trpc.products.update.mutationOptions({ onSuccess: refresh }));
  const errors = { ...fieldErrorsOf(create.error) };
  if (errors.priceCents) errors.price = errors.priceCents;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ code: form.code, name: form.name, category: form.category || null, priceCents: toCents(form.price), vatRateCode: form.vatRateCode, billingFrequency: form.billingFrequency });
  };
  const frequencies = Object.entries(t.products.frequencies).map(([value, label]) => ({ value, label }));
  return (
    <section className="stack">
      <h1>{t.products.title}</h1>
      {canWrite && (
        <form className="card inline-form" onSubmit={submit} noValidate>
          <h2>{t.products.newProduct}</h2>
          <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error)} />
          <div className="grid">
            <TextField label={t.products.code} name="code" errors={errors} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
            <TextField label={t.products.name} name="name" errors={errors} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            <TextField label={t.products.category} name="category" errors={errors} value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })} />
            <TextField label={t.products.priceCents} name="price" inputMode="decimal" errors={errors} value={form.price} onChange={(e) => setForm({ ...form, price: e.target.value })} />
            <SelectField label={t.products.vat} name="vatRateCode" errors={errors} value={form.vatRateCode} onChange={(e) => setForm({ ...form, vatRateCode: e.target.value })}
              options={(vatRates.data ?? []).map((r) => ({ value: r.code, label: r.labelFr }))} />
            <SelectField label={t.products.frequency} name="billingFrequency" errors={errors} value={form.billingFrequency}
              onChange={(e) => setForm({ ...form, billingFrequency: e.target.value as Frequency })} options={frequencies} />
          </div>
          <div className="actions"><button className="button button--primary" type="submit" disabled={create.isPending}>{t.products.create}</button></div>
        </form>
      )}
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.products.code}</th><th>{t.products.name}</th><th>{t.products.category}</th><th>{t.products.price}</th><th>{t.products.vat}</th><th>{t.products.frequency}</th><th /></tr></thead>
        <tbody>
          {products.data?.length === 0 && <tr><td colSpan={7} className="muted">{t.products.empty}</td></tr>}
          {products.data?.map((p) => (
            <tr key={p.id}>
              <td><code>{p.code}</code></td>
              <td>{p.name} {!p.active && <span className="badge">{t.products.inactive}</span>}</td>
              <td>{p.category ?? ''}</td>
              <td>{p.priceCents === null ? '—' : formatPrice(p.priceCents, p.billingFrequency, 'HT')}{p.priceHistory.length > 1 && <PriceHistory product={p} />}</td>
              <td>{vatRates.data?.find((r) => r.code === p.vatRateCode)?.labelFr ?? p.vatRateCode}</td>
              <td>{t.products.frequencies[p.billingFrequency]}</td>
              <td className="table__actions">
                {canWrite && <PriceChange product={p} onDone={refresh} />}
                {canWrite && (
                  <button type="button" className="button button--ghost" onClick={() => update.mutate({ productId: p.id, active: !p.active })}>
                    {p.active ? t.products.deactivate : t.products.activate}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}

function PriceHistory({ product }: { product: Product }) {
  return (
    <details>
      <summary className="muted">{t.products.history}</summary>
      <ul>{product.priceHistory.map((h) => <li key={h.effectiveFrom}>{formatDate(h.effectiveFrom)} : {formatPrice(h.priceCents, product.billingFrequency, 'HT')}</li>)}</ul>
    </details>
  );
}

function PriceChange({ product, onDone }: { product: Product; onDone: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [price, setPrice] = useState('');
  const [from, setFrom] = useState(today());
  const change = useMutation(trpc.products.changePrice.mutationOptions({ onSuccess: () => { setOpen(false); onDone(); } }));
  if (!open) return <button type="button" className="button button--ghost" onClick={() => setOpen(true)}>{t.products.changePrice}</button>;
  const errors = fieldErrorsOf(change.error);
  return (
    <form className="price-change" onSubmit={(e) => { e.preventDefault(); change.mutate({ productId: product.id, priceCents: toCents(price), effectiveFrom: from }); }}>
      <TextField label={t.products.priceCents} name="priceCents" inputMode="decimal" errors={errors} value={price} onChange={(e) => setPrice(e.target.value)} />
      <TextField label={t.products.effectiveFrom} name="effectiveFrom" type="date" errors={errors} value={from} onChange={(e) => setFrom(e.target.value)} />
      <button className="button button--primary" type="submit" disabled={change.isPending}>{t.products.apply}</button>
    </form>
  );
}
