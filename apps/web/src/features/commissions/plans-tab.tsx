import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { lastMonth, monthLabel } from './commission-common.tsx';

type Plan = RouterOutputs['commissions']['plans'][number];
type Rules = RouterInputs['commissions']['createPlan']['rules'];
type Form = {
  name: string; isDefault: boolean; effectiveFrom: string; trigger: string; oneShotEur: string; oneShotRate: string; recurring: string;
  tiersMode: string; tierFromEur: string; tierRate: string; capEur: string; override: string; firstDebit: boolean; clawbackMonths: string; clawbackMode: string;
};

const euros = (value: string) => Math.round(Number(value.replace(',', '.') || '0') * 100);
const percent = (value: string) => Math.round(Number(value.replace(',', '.') || '0') * 100);
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

function formOf(plan?: Plan): Form {
  const r = plan?.versions[0]?.rules;
  const shot = r?.oneShots[0];
  const tier = r?.tiers?.brackets[1];
  return {
    name: plan?.name ?? '', isDefault: plan?.isDefault ?? false, effectiveFrom: today(), trigger: shot?.trigger ?? 'signature',
    oneShotEur: String((shot?.fixedCents ?? 0) / 100), oneShotRate: String((shot?.valueRateBasisPoints ?? 0) / 100), recurring: String((r?.recurringRateBasisPoints ?? 0) / 100),
    tiersMode: r?.tiers?.mode ?? 'none', tierFromEur: String((tier?.fromCents ?? 0) / 100), tierRate: String((tier?.rateBasisPoints ?? 0) / 100),
    capEur: r?.monthlyCapCents == null ? '' : String(r.monthlyCapCents / 100), override: String((r?.managerOverrideBasisPoints ?? 0) / 100),
    firstDebit: r?.requireFirstDebit ?? true, clawbackMonths: String(r?.clawbackMonths ?? 6), clawbackMode: r?.clawbackMode ?? 'full',
  };
}

/** The rules the form says, in the plan's own shape (commission-rules.ts). */
function rulesOf(f: Form): Rules {
  const oneShot = euros(f.oneShotEur) > 0 || percent(f.oneShotRate) > 0;
  return {
    oneShots: oneShot ? [{ trigger: f.trigger as 'signature', fixedCents: euros(f.oneShotEur), valueRateBasisPoints: percent(f.oneShotRate) }] : [],
    recurringRateBasisPoints: percent(f.recurring),
    tiers: f.tiersMode === 'none' ? null : { mode: f.tiersMode as 'marginal', brackets: [{ fromCents: 0, rateBasisPoints: 0 }, { fromCents: euros(f.tierFromEur), rateBasisPoints: percent(f.tierRate) }] },
    monthlyCapCents: f.capEur.trim() === '' ? null : euros(f.capEur),
    managerOverrideBasisPoints: percent(f.override),
    requireFirstDebit: f.firstDebit,
    clawbackMonths: Number(f.clawbackMonths || '0'),
    clawbackMode: f.clawbackMode as 'full',
  };
}

/** The plans, their versions and who is on them; the editor (a new plan or a new version) with its simulator. */
export function PlansTab() {
  const trpc = useTRPC();
  const c = t.commissions;
  const canEdit = useCan('commissions.plans');
  const plans = useQuery(trpc.commissions.plans.queryOptions());
  const [editing, setEditing] = useState<{ plan?: Plan } | null>(null);
  return (
    <div className="stack">
      {canEdit && <div><button type="button" className="button button--primary" onClick={() => setEditing({})}>{c.plans.new}</button></div>}
      <FormMessage error={plans.isError ? messageOf(plans.error) : null} />
      {plans.isSuccess && plans.data.length === 0 && <p className="muted">{c.plans.empty}</p>}
      {plans.data?.map((plan) => (
        <article key={plan.id} className="card stack">
          <h2>{plan.name} {plan.isDefault && <span className="badge">{c.plans.default}</span>}</h2>
          <p>{c.plans.assigned} : {plan.assignments.length === 0 ? c.plans.nobody : plan.assignments.map((a) => a.salesRep?.name ?? c.plans.team(a.team ?? '')).join(', ')}</p>
          <ul>{plan.versions.map((v) => <li key={v.id}>{c.plans.versionFrom(v.version, formatDate(v.effectiveFrom))}</li>)}</ul>
          <div className="form-actions">
            {canEdit && <button type="button" className="button button--ghost" onClick={() => setEditing({ plan })}>{c.plans.newVersion}</button>}
            {!canEdit && <button type="button" className="button button--ghost" onClick={() => setEditing({ plan })}>{c.simulator.title}</button>}
          </div>
        </article>
      ))}
      {editing && <PlanEditor key={editing.plan?.id ?? 'new'} plan={editing.plan} canEdit={canEdit} onDone={() => setEditing(null)} />}
    </div>
  );
}

function PlanEditor({ plan, canEdit, onDone }: { plan?: Plan | undefined; canEdit: boolean; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = t.commissions;
  const p = c.plans;
  const [form, setForm] = useState<Form>(() => formOf(plan));
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const done = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.commissions.plans.pathKey() }) };
  const create = useMutation(trpc.commissions.createPlan.mutationOptions(done));
  const version = useMutation(trpc.commissions.addPlanVersion.mutationOptions(done));
  const save = () =>
    plan
      ? version.mutate({ planId: plan.id, effectiveFrom: form.effectiveFrom, rules: rulesOf(form) })
      : create.mutate({ name: form.name, isDefault: form.isDefault, effectiveFrom: form.effectiveFrom, rules: rulesOf(form) });
  const error = create.error ?? version.error;
  const errors = fieldErrorsOf(error);
  return (
    <section className="card stack" aria-label={plan ? `${p.newVersion} : ${plan.name}` : p.new}>
      <h2>{plan ? `${p.newVersion} : ${plan.name}` : p.new}</h2>
      {canEdit && (
        <div className="grid">
          {!plan && <TextField label={p.name} name="name" errors={errors} value={form.name} onChange={(e) => set({ name: e.target.value })} />}
          {!plan && <label className="checkbox"><input type="checkbox" checked={form.isDefault} onChange={(e) => set({ isDefault: e.target.checked })} /> {p.isDefault}</label>}
          <TextField label={p.effectiveFrom} name="effectiveFrom" type="date" errors={errors} value={form.effectiveFrom} onChange={(e) => set({ effectiveFrom: e.target.value })} />
        </div>
      )}
      <div className="grid">
        <SelectField label={p.oneShotTrigger} name="trigger" value={form.trigger} onChange={(e) => set({ trigger: e.target.value })} options={Object.entries(p.triggers).map(([value, label]) => ({ value, label }))} />
        <TextField label={p.oneShot} name="oneShotEur" inputMode="decimal" value={form.oneShotEur} onChange={(e) => set({ oneShotEur: e.target.value })} />
        <TextField label={p.oneShotRate} name="oneShotRate" inputMode="decimal" value={form.oneShotRate} onChange={(e) => set({ oneShotRate: e.target.value })} />
        <TextField label={p.recurring} name="recurring" inputMode="decimal" value={form.recurring} onChange={(e) => set({ recurring: e.target.value })} />
        <SelectField label={p.tiersMode} name="tiersMode" value={form.tiersMode} onChange={(e) => set({ tiersMode: e.target.value })} options={Object.entries(p.tiersModes).map(([value, label]) => ({ value, label }))} />
        {form.tiersMode !== 'none' && <TextField label={p.tierFrom} name="tierFromEur" inputMode="decimal" value={form.tierFromEur} onChange={(e) => set({ tierFromEur: e.target.value })} />}
        {form.tiersMode !== 'none' && <TextField label={p.tierRate} name="tierRate" inputMode="decimal" value={form.tierRate} onChange={(e) => set({ tierRate: e.target.value })} />}
        <TextField label={p.cap} name="capEur" inputMode="decimal" value={form.capEur} onChange={(e) => set({ capEur: e.target.value })} />
        <TextField label={p.override} name="override" inputMode="decimal" value={form.override} onChange={(e) => set({ override: e.target.value })} />
        <TextField label={p.clawbackMonths} name="clawbackMonths" inputMode="numeric" value={form.clawbackMonths} onChange={(e) => set({ clawbackMonths: e.target.value })} />
        <SelectField label={p.clawbackMode} name="clawbackMode" value={form.clawbackMode} onChange={(e) => set({ clawbackMode: e.target.value })} options={Object.entries(p.clawbackModes).map(([value, label]) => ({ value, label }))} />
        <label className="checkbox"><input type="checkbox" checked={form.firstDebit} onChange={(e) => set({ firstDebit: e.target.checked })} /> {p.firstDebit}</label>
      </div>
      <FormMessage error={messageOf(error)} success={create.isSuccess || version.isSuccess ? p.saved : null} />
      <div className="form-actions">
        {canEdit && <button type="button" className="button button--primary" disabled={create.isPending || version.isPending} onClick={save}>{p.save}</button>}
        <button type="button" className="button button--ghost" onClick={onDone}>{t.app.cancel}</button>
      </div>
      <Simulator rules={rulesOf(form)} />
    </section>
  );
}

type SimContract = { label: string; value: string; signedOn: string; collected: string; unpaid: boolean };

/** What a month would have paid under the rules of the editor (commissions.simulate: pure, nothing written). */
function Simulator({ rules }: { rules: Rules }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const s = t.commissions.simulator;
  const [month, setMonth] = useState(lastMonth());
  const [rows, setRows] = useState<SimContract[]>([
    { label: 'Contrat A', value: '600', signedOn: `${lastMonth().slice(0, 8)}03`, collected: '60', unpaid: false },
    { label: 'Contrat B', value: '1200', signedOn: `${lastMonth().slice(0, 8)}10`, collected: '', unpaid: true },
  ]);
  const run = useMutation({
    mutationFn: () =>
      queryClient.fetchQuery(
        trpc.commissions.simulate.queryOptions(
          {
            month,
            rules,
            contracts: rows.map((r) => ({ label: r.label || 'Contrat', valueCents: euros(r.value), signedOn: r.signedOn, collectedCents: r.collected ? [euros(r.collected)] : [], unpaid: r.unpaid, consumer: true, cancelledOn: null })),
          },
          { staleTime: 0 },
        ),
      ),
  });
  const update = (i: number, patch: Partial<SimContract>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <section className="stack" aria-label={s.title}>
      <h3>{s.title}</h3>
      <p className="muted">{s.intro}</p>
      <TextField label={t.commissions.month} name="simMonth" type="month" value={month.slice(0, 7)} onChange={(e) => e.target.value && setMonth(`${e.target.value}-01`)} />
      {rows.map((r, i) => (
        <div className="grid" key={i}>
          <TextField label={s.contract} name={`sim-label-${i}`} value={r.label} onChange={(e) => update(i, { label: e.target.value })} />
          <TextField label={s.value} name={`sim-value-${i}`} inputMode="decimal" value={r.value} onChange={(e) => update(i, { value: e.target.value })} />
          <TextField label={s.signedOn} name={`sim-signed-${i}`} type="date" value={r.signedOn} onChange={(e) => update(i, { signedOn: e.target.value })} />
          <TextField label={s.collected} name={`sim-collected-${i}`} inputMode="decimal" value={r.collected} onChange={(e) => update(i, { collected: e.target.value })} />
          <label className="checkbox"><input type="checkbox" checked={r.unpaid} onChange={(e) => update(i, { unpaid: e.target.checked })} /> {s.unpaid}</label>
        </div>
      ))}
      <div className="form-actions">
        <button type="button" className="button button--ghost" onClick={() => setRows((all) => [...all, { label: `Contrat ${String.fromCharCode(65 + all.length)}`, value: '600', signedOn: `${month.slice(0, 8)}05`, collected: '', unpaid: false }])}>{s.add}</button>
        <button type="button" className="button button--primary" disabled={run.isPending} onClick={() => run.mutate()}>{s.run}</button>
      </div>
      <FormMessage error={messageOf(run.error)} />
      {run.data && (
        <div className="stack" aria-live="polite">
          <p>{s.volume} ({monthLabel(run.data.month)}) : {formatEur(run.data.volumeCents)}</p>
          <ul>{run.data.lines.map((l, i) => <li key={i}>{[l.contract, t.commissions.kinds[l.kind], l.label].filter(Boolean).join(' · ')} : {formatEur(l.amountCents)}</li>)}</ul>
          <p><strong>{s.total} : {formatEur(run.data.totals.netPayableCents)}</strong></p>
        </div>
      )}
    </section>
  );
}
