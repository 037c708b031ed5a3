import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type Settings = RouterOutputs['invoices']['settings'];
type Update = RouterInputs['invoices']['updateSettings'];
type SeriesName = Settings['series'][number]['series'];

function toForm(s: Settings) {
  return {
    series: Object.fromEntries(s.series.map((x) => [x.series, { prefix: x.prefix, yearlyReset: x.yearlyReset }])) as Record<SeriesName, { prefix: string; yearlyReset: boolean }>,
    shareCapital: s.shareCapitalCents === null ? '' : String(s.shareCapitalCents / 100).replace('.', ','),
    rcsCity: s.rcsCity ?? '',
    vatRegime: s.vatRegime,
    vatOnDebits: s.vatOnDebits,
    latePenaltyRateText: s.latePenaltyRateText ?? '',
    discountTerms: s.discountTerms ?? '',
    invoiceGrouping: s.invoiceGrouping,
    invoiceNoticeDays: String(s.invoiceNoticeDays),
    invoiceAutoIssue: s.invoiceAutoIssue,
  };
}
type Form = ReturnType<typeof toForm>;

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
/** Euros as typed ("10 000,50") to cents; the server says what is wrong with anything else (NaN travels as null). */
const centsOf = (value: string) => (value.trim() === '' ? null : Math.round(Number(value.replace(/\s/g, '').replace(',', '.')) * 100));

function toUpdate(f: Form): Update {
  return {
    series: f.series,
    shareCapitalCents: centsOf(f.shareCapital),
    rcsCity: orNull(f.rcsCity),
    vatRegime: f.vatRegime as Update['vatRegime'],
    vatOnDebits: f.vatOnDebits,
    latePenaltyRateText: orNull(f.latePenaltyRateText),
    discountTerms: orNull(f.discountTerms),
    invoiceGrouping: f.invoiceGrouping as Update['invoiceGrouping'],
    invoiceNoticeDays: Number(f.invoiceNoticeDays),
    invoiceAutoIssue: f.invoiceAutoIssue,
  };
}

/** Paramètres > Facturation: series and their numbering, the mentions invoices need, when they are issued. */
export function InvoiceSettings() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.invoices.settings.queryOptions());
  if (!settings.data) return <p>{settings.isError ? messageOf(settings.error) : t.app.loading}</p>;
  return <InvoiceSettingsForm settings={settings.data} />;
}

function InvoiceSettingsForm({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan('invoices.settings');
  const [form, setForm] = useState<Form>(() => toForm(settings));
  const update = useMutation(trpc.invoices.updateSettings.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.invoices.settings.pathKey() }) }));
  const errors = fieldErrorsOf(update.error);
  const s = t.invoices.settings;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(toUpdate(form));
  };
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-label={s.title}>
      <h2>{s.title}</h2>
      <p className="muted">{s.intro}</p>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(update.error)} success={update.isSuccess ? s.saved : null} />
      <fieldset disabled={!canEdit} className="stack">
        <h3>{s.seriesTitle}</h3>
        <div className="grid">
          {settings.series.map((x) => (
            <div key={x.series} className="stack">
              <TextField label={s.prefixOf(x.label)} name={`series.${x.series}.prefix`} errors={errors} value={form.series[x.series].prefix}
                onChange={(e) => set('series', { ...form.series, [x.series]: { ...form.series[x.series], prefix: e.target.value } })} />
              <label className="checkbox">
                <input type="checkbox" checked={form.series[x.series].yearlyReset}
                  onChange={(e) => set('series', { ...form.series, [x.series]: { ...form.series[x.series], yearlyReset: e.target.checked } })} />
                {s.yearlyReset}
              </label>
            </div>
          ))}
        </div>
        <h3>{s.mentionsTitle}</h3>
        <div className="grid">
          <TextField label={s.shareCapital} name="shareCapitalCents" errors={errors} inputMode="decimal" value={form.shareCapital} onChange={(e) => set('shareCapital', e.target.value)} />
          <TextField label={s.rcsCity} name="rcsCity" errors={errors} value={form.rcsCity} onChange={(e) => set('rcsCity', e.target.value)} hint={s.rcsHint} />
          <SelectField label={s.vatRegime} name="vatRegime" errors={errors} value={form.vatRegime} onChange={(e) => set('vatRegime', e.target.value)}
            options={Object.entries(s.vatRegimes).map(([value, label]) => ({ value, label }))} />
          <label className="checkbox">
            <input type="checkbox" checked={form.vatOnDebits} onChange={(e) => set('vatOnDebits', e.target.checked)} />
            {s.vatOnDebits}
          </label>
          <TextField label={s.latePenalty} name="latePenaltyRateText" errors={errors} value={form.latePenaltyRateText} onChange={(e) => set('latePenaltyRateText', e.target.value)} hint={s.latePenaltyHint} />
          <TextField label={s.discountTerms} name="discountTerms" errors={errors} value={form.discountTerms} onChange={(e) => set('discountTerms', e.target.value)} hint={s.discountHint} />
        </div>
        <h3>{s.issuingTitle}</h3>
        <div className="grid">
          <SelectField label={s.grouping} name="invoiceGrouping" errors={errors} value={form.invoiceGrouping} onChange={(e) => set('invoiceGrouping', e.target.value)}
            options={Object.entries(s.groupings).map(([value, label]) => ({ value, label }))} />
          <TextField label={s.noticeDays} name="invoiceNoticeDays" errors={errors} inputMode="numeric" value={form.invoiceNoticeDays} onChange={(e) => set('invoiceNoticeDays', e.target.value)} hint={s.noticeHint} />
          <label className="checkbox">
            <input type="checkbox" checked={form.invoiceAutoIssue} onChange={(e) => set('invoiceAutoIssue', e.target.checked)} />
            {s.autoIssue}
          </label>
        </div>
        {canEdit && <div className="actions"><button type="submit" className="button button--primary" disabled={update.isPending}>{s.save}</button></div>}
      </fieldset>
    </form>
  );
}
