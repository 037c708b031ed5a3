import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { DunningTabs } from './dunning-common.tsx';

type Plan = RouterOutputs['dunning']['plans']['plans'][number];
type Step = Pick<Plan['steps'][number], 'delayDays' | 'delayFrom' | 'channel' | 'subject' | 'template' | 'condition'>;

/** Plans de relance: one editor per audience (steps in order, each a delay, a channel and a text). */
export function DunningPlansPage() {
  const trpc = useTRPC();
  const plans = useQuery(trpc.dunning.plans.queryOptions());
  return (
    <section className="stack">
      <div className="page-header"><h1>{t.dunning.plansTitle}</h1></div>
      <DunningTabs />
      <p className="muted">{t.dunning.plansIntro}</p>
      <FormMessage error={messageOf(plans.error)} />
      {/* Keyed by the plan alone: saving gives its steps new ids, and a new key would remount the
          editor and lose the "Plan enregistré" it has just shown. */}
      {plans.data?.plans.map((plan) => <PlanEditor key={plan.id} plan={plan} />)}
    </section>
  );
}

function PlanEditor({ plan }: { plan: Plan }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan('dunning.plans');
  const [name, setName] = useState(plan.name);
  const [active, setActive] = useState(plan.active);
  const [steps, setSteps] = useState<Step[]>(plan.steps.map(({ delayDays, delayFrom, channel, subject, template, condition }) => ({ delayDays, delayFrom, channel, subject, template, condition })));
  const save = useMutation(trpc.dunning.updatePlan.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.dunning.plans.queryKey() }) }));
  const errors = save.error ? fieldErrorsOf(save.error) : undefined;
  const set = (i: number, change: Partial<Step>) => setSteps(steps.map((s, n) => (n === i ? { ...s, ...change } : s)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ audience: plan.audience, name, active, steps });
  };
  const channels = Object.entries(t.dunning.channels).map(([value, label]) => ({ value, label }));
  return (
    <form className="card stack" onSubmit={submit} aria-label={t.dunning.audiences[plan.audience]}>
      <h2>{t.dunning.audiences[plan.audience]}</h2>
      <div className="filters">
        <TextField label={t.dunning.planName} name="name" value={name} onChange={(e) => setName(e.target.value)} errors={errors} disabled={!canEdit} />
        <label className="checkbox"><input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} disabled={!canEdit} /> {t.dunning.active}</label>
      </div>
      <ol className="stack">
        {steps.map((step, i) => (
          <li key={i} className="stack">
            <div className="filters">
              <TextField label={t.dunning.delay} name={`steps.${i}.delayDays`} type="number" min={0} max={365} value={String(step.delayDays)} onChange={(e) => set(i, { delayDays: Number(e.target.value) })} errors={errors} disabled={!canEdit} />
              <SelectField label={t.dunning.delayFrom} name={`steps.${i}.delayFrom`} value={step.delayFrom} onChange={(e) => set(i, { delayFrom: e.target.value as Step['delayFrom'] })} options={Object.entries(t.dunning.delayFroms).map(([value, label]) => ({ value, label }))} disabled={!canEdit} />
              <SelectField label={t.dunning.channel} name={`steps.${i}.channel`} value={step.channel} onChange={(e) => set(i, { channel: e.target.value as Step['channel'] })} options={channels} errors={errors} disabled={!canEdit} />
              {plan.audience === 'prospect' && (
                <label className="checkbox"><input type="checkbox" checked={step.condition === 'no_contract'} onChange={(e) => set(i, { condition: e.target.checked ? 'no_contract' : null })} disabled={!canEdit} /> {t.dunning.condition}</label>
              )}
              {canEdit && <button type="button" className="button button--ghost" onClick={() => setSteps(steps.filter((_, n) => n !== i))}>{t.dunning.removeStep}</button>}
            </div>
            <TextField label={t.dunning.subject} name={`steps.${i}.subject`} value={step.subject} onChange={(e) => set(i, { subject: e.target.value })} errors={errors} disabled={!canEdit} />
            <TextAreaField label={t.dunning.template} name={`steps.${i}.template`} rows={4} value={step.template} onChange={(e) => set(i, { template: e.target.value })} errors={errors} disabled={!canEdit} />
          </li>
        ))}
      </ol>
      {canEdit && (
        <div className="filters">
          <button type="button" className="button button--ghost" onClick={() => setSteps([...steps, { delayDays: 7, delayFrom: 'previous', channel: plan.audience === 'prospect' ? 'task' : 'email', subject: '', template: '', condition: null }])}>{t.dunning.addStep}</button>
          <button type="submit" className="button" disabled={save.isPending}>{t.dunning.save}</button>
        </div>
      )}
      <FormMessage error={save.error ? messageOf(save.error) : null} success={save.isSuccess ? t.dunning.saved : null} />
    </form>
  );
}
