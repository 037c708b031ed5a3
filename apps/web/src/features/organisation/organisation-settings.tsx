import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type Organisation = RouterOutputs['organisations']['get'];
type Update = RouterInputs['organisations']['update'];

const TIME_ZONES = ['Europe/Paris', 'America/Guadeloupe', 'America/Martinique', 'America/Cayenne', 'Indian/Reunion', 'Indian/Mayotte', 'Pacific/Noumea', 'Pacific/Tahiti'];

function toForm(o: Organisation) {
  return {
    name: o.name,
    legalName: o.legalName ?? '',
    legalForm: o.legalForm ?? '',
    siren: o.siren ?? '',
    siret: o.siret ?? '',
    vatNumber: o.vatNumber ?? '',
    line1: o.address?.line1 ?? '',
    line2: o.address?.line2 ?? '',
    postalCode: o.address?.postalCode ?? '',
    city: o.address?.city ?? '',
    country: o.address?.country ?? 'FR',
    sepaCreditorId: o.sepaCreditorId ?? '',
    creditorIban: o.creditorIban ?? '',
    creditorBic: o.creditorBic ?? '',
    contactEmail: o.contactEmail ?? '',
    sepaFormat: o.sepaFormat,
    sepaDebitDay: String(o.sepaDebitDay),
    sepaPreNotificationDays: String(o.sepaPreNotificationDays),
    sepaUseFrst: o.sepaUseFrst ? 'yes' : 'no',
    sepaSettleAfterDays: String(o.sepaSettleAfterDays),
    sepaScheduleIsNotice: o.sepaScheduleIsNotice,
    sepaRepresentationNoticeDays: o.sepaRepresentationNoticeDays === null ? '' : String(o.sepaRepresentationNoticeDays),
    sepaMs03InsufficientFunds: o.sepaMs03InsufficientFunds,
    retryMaxAttempts: String(o.retryMaxAttempts),
    retryPaydayRule: o.retryPaydayRule as string,
    retryRejectFeeEnabled: o.retryRejectFeeEnabled,
    welcomeMailEnabled: o.welcomeMailEnabled,
    invoicePrefix: o.invoicePrefix,
    timezone: o.timezone,
    locale: o.locale,
  };
}
type Form = ReturnType<typeof toForm>;

const orNull = (value: string) => (value.trim() === '' ? null : value);
/** What was typed, as a number; the server says what is wrong with it (NaN travels as null). */
const numberOf = (value: string) => (value.trim() === '' ? Number.NaN : Number(value.replace(',', '.')));

function toUpdate(f: Form): Update {
  const hasAddress = [f.line1, f.line2, f.postalCode, f.city].some((v) => v.trim() !== '');
  return {
    name: f.name,
    legalName: orNull(f.legalName),
    legalForm: orNull(f.legalForm),
    siren: orNull(f.siren),
    siret: orNull(f.siret),
    vatNumber: orNull(f.vatNumber),
    address: hasAddress ? { line1: f.line1, line2: orNull(f.line2), postalCode: f.postalCode, city: f.city, country: f.country } : null,
    sepaCreditorId: orNull(f.sepaCreditorId),
    creditorIban: orNull(f.creditorIban),
    creditorBic: orNull(f.creditorBic),
    contactEmail: orNull(f.contactEmail),
    sepaFormat: f.sepaFormat,
    sepaDebitDay: numberOf(f.sepaDebitDay),
    sepaPreNotificationDays: numberOf(f.sepaPreNotificationDays),
    sepaUseFrst: f.sepaUseFrst === 'yes',
    sepaSettleAfterDays: numberOf(f.sepaSettleAfterDays),
    sepaScheduleIsNotice: f.sepaScheduleIsNotice,
    sepaRepresentationNoticeDays: f.sepaRepresentationNoticeDays.trim() === '' ? null : numberOf(f.sepaRepresentationNoticeDays),
    sepaMs03InsufficientFunds: f.sepaMs03InsufficientFunds,
    retryMaxAttempts: numberOf(f.retryMaxAttempts),
    retryPaydayRule: f.retryPaydayRule as Update['retryPaydayRule'],
    retryRejectFeeEnabled: f.retryRejectFeeEnabled,
    welcomeMailEnabled: f.welcomeMailEnabled,
    invoicePrefix: f.invoicePrefix,
    timezone: f.timezone,
    locale: f.locale as Update['locale'],
  };
}

export function OrganisationSettings() {
  const trpc = useTRPC();
  const organisation = useQuery(trpc.organisations.get.queryOptions());
  if (!organisation.data) return <p>{t.app.loading}</p>;
  return <OrganisationForm key={organisation.data.id} organisation={organisation.data} />;
}

function OrganisationForm({ organisation }: { organisation: Organisation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('organisation.write');
  const legalForms = useQuery(trpc.referentiel.legalForms.queryOptions());
  const countries = useQuery(trpc.referentiel.countries.queryOptions());
  const [form, setForm] = useState(() => toForm(organisation));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.organisations.update.mutationOptions({
      onSuccess: (updated) => {
        setForm(toForm(updated)); // normalised by the server (SIREN without spaces...)
        setSaved(true);
        queryClient.setQueryData(trpc.organisations.get.queryKey(), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(update.error);
  const set = (key: keyof Form) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm({ ...form, [key]: e.target.value });
  };
  const field = (key: Exclude<keyof Form, 'sepaMs03InsufficientFunds' | 'welcomeMailEnabled' | 'sepaScheduleIsNotice' | 'retryRejectFeeEnabled'>, label: string, extra: Record<string, unknown> = {}) => (
    <TextField label={label} name={key} errors={errors} value={form[key]} onChange={set(key)} disabled={!canWrite} {...extra} />
  );
  // Server field errors on the address come as "address.postalCode": show them on the inputs.
  const addressErrors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^address\./, ''), v]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(toUpdate(form));
  };
  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      {!canWrite && <p className="notice">{t.settings.readOnly}</p>}
      <FormMessage error={messageOf(update.error)} success={saved ? t.settings.saved : null} />
      <fieldset className="card">
        <legend>{t.organisation.identity}</legend>
        <div className="grid">
          {field('name', t.organisation.name)}
          {field('legalName', t.organisation.legalName)}
          <SelectField label={t.organisation.legalForm} name="legalForm" errors={errors} value={form.legalForm} onChange={set('legalForm')} disabled={!canWrite}
            options={[{ value: '', label: t.organisation.none }, ...(legalForms.data ?? []).map((l) => ({ value: l.code, label: `${l.code} — ${l.label}` }))]} />
          {field('siren', t.organisation.siren, { inputMode: 'numeric' })}
          {field('siret', t.organisation.siret, { inputMode: 'numeric' })}
          {field('vatNumber', t.organisation.vatNumber)}
          {field('contactEmail', t.organisation.contactEmail, { type: 'email', hint: t.organisation.contactEmailHint })}
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.address}</legend>
        <div className="grid">
          <TextField label={t.organisation.line1} name="line1" errors={addressErrors} value={form.line1} onChange={set('line1')} disabled={!canWrite} />
          <TextField label={t.organisation.line2} name="line2" errors={addressErrors} value={form.line2} onChange={set('line2')} disabled={!canWrite} />
          <TextField label={t.organisation.postalCode} name="postalCode" errors={addressErrors} value={form.postalCode} onChange={set('postalCode')} disabled={!canWrite} />
          <TextField label={t.organisation.city} name="city" errors={addressErrors} value={form.city} onChange={set('city')} disabled={!canWrite} />
          <SelectField label={t.organisation.country} name="country" errors={addressErrors} value={form.country} onChange={set('country')} disabled={!canWrite}
            options={(countries.data ?? [{ code: 'FR', nameFr: 'France' }]).map((c) => ({ value: c.code, label: c.nameFr }))} />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.sepa}</legend>
        <div className="grid">
          {field('sepaCreditorId', t.organisation.sepaCreditorId)}
          {field('creditorIban', t.organisation.creditorIban)}
          {field('creditorBic', t.organisation.creditorBic)}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.sepaMs03InsufficientFunds} disabled={!canWrite}
            onChange={(e) => { setSaved(false); setForm({ ...form, sepaMs03InsufficientFunds: e.target.checked }); }} />
          {t.organisation.sepaMs03InsufficientFunds}
        </label>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.retry}</legend>
        <p className="hint">{t.organisation.retryHint}</p>
        <div className="grid">
          {field('retryMaxAttempts', t.organisation.retryMaxAttempts, { inputMode: 'numeric', hint: t.organisation.retryMaxAttemptsHint })}
          <SelectField label={t.organisation.retryPaydayRule} name="retryPaydayRule" errors={errors} value={form.retryPaydayRule} onChange={set('retryPaydayRule')} disabled={!canWrite}
            options={Object.entries(t.organisation.retryPaydayRules).map(([value, label]) => ({ value, label }))} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.retryRejectFeeEnabled} disabled={!canWrite}
            onChange={(e) => { setSaved(false); setForm({ ...form, retryRejectFeeEnabled: e.target.checked }); }} />
          {t.organisation.retryRejectFeeEnabled}
        </label>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.clientMail}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.welcomeMailEnabled} disabled={!canWrite}
            onChange={(e) => { setSaved(false); setForm({ ...form, welcomeMailEnabled: e.target.checked }); }} />
          {t.organisation.welcomeMailEnabled}
        </label>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.collection}</legend>
        <div className="grid">
          <SelectField label={t.organisation.sepaFormat} name="sepaFormat" errors={errors} value={form.sepaFormat} onChange={set('sepaFormat')} disabled={!canWrite}
            hint={t.organisation.sepaFormatHint} options={Object.entries(t.organisation.sepaFormats).map(([value, label]) => ({ value, label }))} />
          {field('sepaDebitDay', t.organisation.sepaDebitDay, { inputMode: 'numeric', hint: t.organisation.sepaDebitDayHint })}
          {field('sepaPreNotificationDays', t.organisation.sepaPreNotificationDays, { inputMode: 'numeric', hint: t.organisation.sepaPreNotificationDaysHint })}
          <SelectField label={t.organisation.sepaUseFrst} name="sepaUseFrst" errors={errors} value={form.sepaUseFrst} onChange={set('sepaUseFrst')} disabled={!canWrite}
            options={Object.entries(t.organisation.sepaUseFrstOptions).map(([value, label]) => ({ value, label }))} />
          {field('sepaSettleAfterDays', t.organisation.sepaSettleAfterDays, { inputMode: 'numeric', hint: t.organisation.sepaSettleAfterDaysHint })}
          {field('sepaRepresentationNoticeDays', t.organisation.sepaRepresentationNoticeDays, { inputMode: 'numeric', hint: t.organisation.sepaRepresentationNoticeDaysHint })}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.sepaScheduleIsNotice} disabled={!canWrite}
            onChange={(e) => { setSaved(false); setForm({ ...form, sepaScheduleIsNotice: e.target.checked }); }} />
          {t.organisation.sepaScheduleIsNotice}
        </label>
        <p className="muted">{t.organisation.sepaScheduleIsNoticeHint}</p>
      </fieldset>
      <fieldset className="card">
        <legend>{t.organisation.invoicing}</legend>
        <div className="grid">
          {field('invoicePrefix', t.organisation.invoicePrefix)}
          <SelectField label={t.organisation.timezone} name="timezone" errors={errors} value={form.timezone} onChange={set('timezone')} disabled={!canWrite}
            options={[...new Set([form.timezone, ...TIME_ZONES])].map((tz) => ({ value: tz, label: tz }))} />
          <SelectField label={t.organisation.locale} name="locale" errors={errors} value={form.locale} onChange={set('locale')} disabled={!canWrite}
            options={[{ value: 'fr-FR', label: 'Français (France)' }]} />
        </div>
      </fieldset>
      {canWrite && (
        <div className="actions">
          <button className="button button--primary" type="submit" disabled={update.isPending}>{t.settings.save}</button>
        </div>
      )}
    </form>
  );
}
