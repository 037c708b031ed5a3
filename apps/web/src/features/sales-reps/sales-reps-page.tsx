import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type Rep = RouterOutputs['salesReps']['list'][number];

/** Euros typed the French way ("1 500,50") to integer cents; NaN when it is not an amount. */
const toCents = (euros: string) => {
  const plain = euros.replace(/[\s\u202f]/g, '');
  return /^\d+([.,]\d{1,2})?$/.test(plain) ? Math.round(Number(plain.replace(',', '.')) * 100) : Number.NaN;
};
const thisMonth = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(new Date());

/** The reps as the hierarchy reads: each manager followed by their team, indented. */
function asTree(reps: Rep[]): { rep: Rep; depth: number }[] {
  const byManager = new Map<string | null, Rep[]>();
  const ids = new Set(reps.map((r) => r.id));
  for (const rep of reps) {
    const key = rep.managerId && ids.has(rep.managerId) ? rep.managerId : null;
    byManager.set(key, [...(byManager.get(key) ?? []), rep]);
  }
  const out: { rep: Rep; depth: number }[] = [];
  const walk = (managerId: string | null, depth: number) => {
    for (const rep of byManager.get(managerId) ?? []) {
      out.push({ rep, depth });
      walk(rep.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const emptyForm = { firstName: '', lastName: '', code: '', email: '', phone: '', team: '', managerId: '', userId: '' };
type RepForm = typeof emptyForm;

function RepFields({ form, setForm, errors, reps, selfId }: {
  form: RepForm;
  setForm: (form: RepForm) => void;
  errors: Record<string, string[]>;
  reps: Rep[];
  selfId?: string;
}) {
  const trpc = useTRPC();
  const members = useQuery(trpc.members.list.queryOptions());
  const field = (name: keyof RepForm) => ({ name, errors, value: form[name], onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }) });
  return (
    <div className="grid">
      <TextField label={t.salesReps.firstName} {...field('firstName')} />
      <TextField label={t.salesReps.lastName} {...field('lastName')} />
      <TextField label={t.salesReps.code} hint={t.salesReps.codeHint} {...field('code')} onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })} />
      <TextField label={t.salesReps.email} type="email" {...field('email')} />
      <TextField label={t.salesReps.phone} type="tel" {...field('phone')} />
      <TextField label={t.salesReps.team} {...field('team')} />
      <SelectField label={t.salesReps.manager} {...field('managerId')}
        options={[{ value: '', label: t.salesReps.noManager }, ...reps.filter((r) => r.id !== selfId).map((r) => ({ value: r.id, label: `${r.displayName} (${r.code})` }))]} />
      <SelectField label={t.salesReps.account} {...field('userId')}
        options={[{ value: '', label: t.salesReps.noAccount }, ...(members.data ?? []).map((m) => ({ value: m.userId, label: `${m.name} — ${m.email}` }))]} />
    </div>
  );
}

/** The form's strings as the API wants them: empty optional fields are null (cleared), the code is generated. */
function toInput(form: RepForm) {
  const orNull = (value: string) => value.trim() || null;
  return {
    firstName: form.firstName,
    lastName: form.lastName,
    ...(form.code.trim() ? { code: form.code.trim() } : {}),
    email: orNull(form.email),
    phone: orNull(form.phone),
    team: orNull(form.team),
    managerId: orNull(form.managerId),
    userId: orNull(form.userId),
  };
}

export function SalesRepsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('salesReps.write');
  const canReadCommissions = useCan('commissions.read');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const reps = useQuery(trpc.salesReps.list.queryOptions({ includeInactive }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.salesReps.pathKey() });
  const [form, setForm] = useState(emptyForm);
  const create = useMutation(trpc.salesReps.create.mutationOptions({ onSuccess: () => { setForm(emptyForm); refresh(); } }));
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(toInput(form));
  };
  const rows = asTree(reps.data ?? []);
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.salesReps.title}</h1>
        <label className="checkbox">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> {t.salesReps.showInactive}
        </label>
      </div>
      {canWrite && (
        <form className="card inline-form" onSubmit={submit} noValidate aria-label={t.salesReps.new}>
          <h2>{t.salesReps.new}</h2>
          <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error)} />
          <RepFields form={form} setForm={setForm} errors={errors} reps={reps.data ?? []} />
          <div className="actions"><button className="button button--primary" type="submit" disabled={create.isPending}>{t.salesReps.create}</button></div>
        </form>
      )}
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.salesReps.code}</th><th>{t.salesReps.lastName}</th><th>{t.salesReps.team}</th><th>{t.salesReps.clients}</th><th>{t.salesReps.target}</th><th /></tr>
        </thead>
        <tbody>
          {reps.isError && <tr><td colSpan={6} className="field__error">{messageOf(reps.error)}</td></tr>}
          {rows.length === 0 && reps.isSuccess && <tr><td colSpan={6} className="muted">{t.salesReps.empty}</td></tr>}
          {rows.map(({ rep, depth }) => (
            <tr key={rep.id} className={selected === rep.id ? 'is-selected' : undefined}>
              <td><code>{rep.code}</code></td>
              <td style={{ paddingLeft: `${0.75 + depth * 1.5}rem` }}>
                {depth > 0 && <span className="muted" aria-hidden>└ </span>}
                {rep.displayName} {!rep.active && <span className="badge">{t.salesReps.inactive}</span>}
              </td>
              <td>{rep.team ?? ''}</td>
              <td><Link to={`/clients?commercial=${rep.id}`} title={t.salesReps.viewClients}>{rep.clientCount}</Link>{canReadCommissions && <> · <Link to={`/commissions/commerciaux/${rep.id}`}>{t.commissions.repBlock.open}</Link></>}</td>
              <td>{rep.target ? `${formatEur(rep.target.revenueCents)} · ${rep.target.contractsCount} ${t.salesReps.contracts.toLowerCase()}` : '—'}</td>
              <td className="table__actions">
                <button type="button" className="button button--ghost" onClick={() => setSelected(selected === rep.id ? null : rep.id)}>{t.salesReps.edit}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {selected && <SalesRepPanel key={selected} salesRepId={selected} reps={reps.data ?? []} canWrite={canWrite} onChange={refresh} onClose={() => setSelected(null)} />}
    </section>
  );
}

function SalesRepPanel({ salesRepId, reps, canWrite, onChange, onClose }: {
  salesRepId: string;
  reps: Rep[];
  canWrite: boolean;
  onChange: () => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const rep = useQuery(trpc.salesReps.get.queryOptions({ salesRepId }));
  if (!rep.data) return <p>{rep.isError ? messageOf(rep.error) : ''}</p>;
  return <SalesRepEditor rep={rep.data} reps={reps} canWrite={canWrite} onChange={onChange} onClose={onClose} />;
}

function SalesRepEditor({ rep, reps, canWrite, onChange, onClose }: {
  rep: RouterOutputs['salesReps']['get'];
  reps: Rep[];
  canWrite: boolean;
  onChange: () => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [form, setForm] = useState<RepForm>({
    firstName: rep.firstName, lastName: rep.lastName, code: rep.code, email: rep.email ?? '', phone: rep.phone ?? '',
    team: rep.team ?? '', managerId: rep.managerId ?? '', userId: rep.userId ?? '',
  });
  const update = useMutation(trpc.salesReps.update.mutationOptions({ onSuccess: onChange }));
  const [target, setTarget] = useState({ month: thisMonth(), revenue: '', contracts: '0' });
  const setTargetMutation = useMutation(trpc.salesReps.setTarget.mutationOptions({ onSuccess: () => { setTarget({ ...target, revenue: '' }); onChange(); } }));
  const errors = fieldErrorsOf(update.error);
  const targetErrors = { ...fieldErrorsOf(setTargetMutation.error) };
  if (targetErrors.revenueCents) targetErrors.revenue = targetErrors.revenueCents;
  if (targetErrors.contractsCount) targetErrors.contracts = targetErrors.contractsCount;
  return (
    <div className="card stack" aria-label={rep.displayName}>
      <div className="page-header">
        <h2>{rep.displayName} <code>{rep.code}</code></h2>
        <div className="actions">
          {canWrite && (
            <button type="button" className="button button--ghost" onClick={() => update.mutate({ salesRepId: rep.id, active: !rep.active })}>
              {rep.active ? t.salesReps.deactivate : t.salesReps.activate}
            </button>
          )}
          <button type="button" className="button button--ghost" onClick={onClose}>{t.salesReps.cancel}</button>
        </div>
      </div>
      {rep.reports.length > 0 && <p className="muted">{t.salesReps.reports} : {rep.reports.map((r) => r.displayName).join(', ')}</p>}
      {canWrite && (
        <form onSubmit={(e) => { e.preventDefault(); update.mutate({ salesRepId: rep.id, ...toInput(form), code: form.code.trim() || rep.code }); }} noValidate>
          <FormMessage error={Object.keys(errors).length ? null : messageOf(update.error)} success={update.isSuccess ? t.settings.saved : null} />
          <RepFields form={form} setForm={setForm} errors={errors} reps={reps} selfId={rep.id} />
          <div className="actions"><button className="button button--primary" type="submit" disabled={update.isPending}>{t.salesReps.save}</button></div>
        </form>
      )}
      <h3>{t.salesReps.targets}</h3>
      <div className="table-wrap"><table className="table">
        <thead><tr><th>{t.salesReps.month}</th><th>{t.salesReps.revenue}</th><th>{t.salesReps.contracts}</th></tr></thead>
        <tbody>
          {rep.targets.length === 0 && <tr><td colSpan={3} className="muted">—</td></tr>}
          {rep.targets.map((row) => (
            <tr key={row.month}><td>{row.month}</td><td>{formatEur(row.revenueCents)}</td><td>{row.contractsCount}</td></tr>
          ))}
        </tbody>
      </table></div>
      {canWrite && (
        <form className="inline-form" noValidate
          onSubmit={(e) => { e.preventDefault(); setTargetMutation.mutate({ salesRepId: rep.id, month: target.month, revenueCents: toCents(target.revenue), contractsCount: Number(target.contracts) }); }}>
          <div className="grid">
            <TextField label={t.salesReps.month} name="month" type="month" errors={targetErrors} value={target.month} onChange={(e) => setTarget({ ...target, month: e.target.value })} />
            <TextField label={t.salesReps.revenue} name="revenue" inputMode="decimal" errors={targetErrors} value={target.revenue} onChange={(e) => setTarget({ ...target, revenue: e.target.value })} />
            <TextField label={t.salesReps.contracts} name="contracts" type="number" min={0} errors={targetErrors} value={target.contracts} onChange={(e) => setTarget({ ...target, contracts: e.target.value })} />
          </div>
          <FormMessage error={Object.keys(targetErrors).length ? null : messageOf(setTargetMutation.error)} />
          <div className="actions"><button className="button button--primary" type="submit" disabled={setTargetMutation.isPending}>{t.salesReps.setTarget}</button></div>
        </form>
      )}
    </div>
  );
}
