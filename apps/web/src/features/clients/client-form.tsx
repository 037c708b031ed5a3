import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatPhone } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

type Client = RouterOutputs['clients']['get'];
type CreateInput = RouterInputs['clients']['create'];
type Duplicate = RouterOutputs['clients']['create']['duplicates'][number];

const empty = {
  kind: 'person' as 'person' | 'company',
  civility: '',
  firstName: '',
  lastName: '',
  companyName: '',
  siret: '',
  email: '',
  phone: '',
  mobile: '',
  line1: '',
  line2: '',
  postalCode: '',
  city: '',
  birthDate: '',
  status: 'prospect',
  source: '',
  tags: '',
  marketingConsent: false,
  notes: '',
  salesRepId: '',
};
type Form = typeof empty;

function fromClient(c: Client): Form {
  return {
    kind: c.kind,
    civility: c.civility ?? '',
    firstName: c.firstName ?? '',
    lastName: c.lastName ?? '',
    companyName: c.companyName ?? '',
    siret: c.siret ?? '',
    email: c.email ?? '',
    phone: c.phone ? formatPhone(c.phone) : '',
    mobile: c.mobile ? formatPhone(c.mobile) : '',
    line1: c.address?.line1 ?? '',
    line2: c.address?.line2 ?? '',
    postalCode: c.address?.postalCode ?? '',
    city: c.address?.city ?? '',
    birthDate: c.birthDate ?? '',
    status: c.status === 'archived' ? 'inactive' : c.status,
    source: c.source ?? '',
    tags: c.tags.join(', '),
    marketingConsent: c.marketingConsent,
    notes: c.notes,
    salesRepId: c.salesRepId ?? '',
  };
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** The form as the API wants it; the rep is sent only when it changed (a sales member cannot give a client away). */
function toInput(f: Form, initial?: Form) {
  const hasAddress = [f.line1, f.postalCode, f.city].some((v) => v.trim() !== '');
  return {
    civility: (orNull(f.civility) as CreateInput['civility']) ?? null,
    firstName: f.kind === 'person' ? orNull(f.firstName) : null,
    lastName: f.kind === 'person' ? orNull(f.lastName) : null,
    companyName: f.kind === 'company' ? orNull(f.companyName) : null,
    siret: orNull(f.siret),
    email: orNull(f.email),
    phone: orNull(f.phone),
    mobile: orNull(f.mobile),
    address: hasAddress ? { line1: f.line1, line2: orNull(f.line2), postalCode: f.postalCode, city: f.city } : null,
    birthDate: f.kind === 'person' ? orNull(f.birthDate) : null,
    status: f.status as NonNullable<CreateInput['status']>,
    source: orNull(f.source),
    tags: f.tags.split(',').map((tag) => tag.trim()).filter(Boolean),
    marketingConsent: f.marketingConsent,
    notes: f.notes,
    ...(f.salesRepId !== (initial?.salesRepId ?? '') ? { salesRepId: orNull(f.salesRepId) } : {}),
  };
}

/** Create (no `client`) or edit a client; server field errors land under their fields. */
export function ClientForm({ client }: { client?: Client }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(client ? fromClient(client) : empty);
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const sources = useQuery(trpc.lists.items.queryOptions({ kind: 'client_source' }));
  const reps = useQuery(trpc.salesReps.list.queryOptions({}));
  const done = (id: string) => {
    void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
    void navigate(`/clients/${id}`);
  };
  const create = useMutation(
    trpc.clients.create.mutationOptions({
      onSuccess: (result) => (result.client ? done(result.client.id) : setDuplicates(result.duplicates)),
    }),
  );
  const update = useMutation(trpc.clients.update.mutationOptions({ onSuccess: (updated) => done(updated.id) }));
  const error = create.error ?? update.error;
  const errors = Object.fromEntries(Object.entries(fieldErrorsOf(error)).map(([k, v]) => [k.replace(/^address\./, ''), v]));
  const set = (key: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = (event: FormEvent, ignoreDuplicates = false) => {
    event.preventDefault();
    if (client) update.mutate({ clientId: client.id, ...toInput(form, fromClient(client)) });
    else create.mutate({ kind: form.kind, ignoreDuplicates, ...toInput(form) });
  };
  const field = (key: keyof Form, label: string, extra: Record<string, unknown> = {}) => (
    <TextField label={label} name={key} errors={errors} value={String(form[key])} onChange={set(key)} {...extra} />
  );
  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(error)} />
      {duplicates.length > 0 && (
        <div className="notice notice--warning" role="alert">
          <strong>{t.clients.duplicatesTitle}</strong>
          <ul>
            {duplicates.map((d) => (
              <li key={d.id}>
                <a href={`/clients/${d.id}`}>{d.displayName}</a> — {d.reasons.map((r) => t.clients.duplicateReasons[r]).join(', ')}
              </li>
            ))}
          </ul>
          <button type="button" className="button button--ghost" onClick={(e) => submit(e, true)}>{t.clients.createAnyway}</button>
        </div>
      )}
      <fieldset className="card">
        <legend>{t.clients.identity}</legend>
        <div className="grid">
          {!client && (
            <SelectField label={t.clients.kind} name="kind" value={form.kind} onChange={set('kind')}
              options={[{ value: 'person', label: t.clients.person }, { value: 'company', label: t.clients.company }]} />
          )}
          {form.kind === 'person' ? (
            <>
              <SelectField label={t.clients.civility} name="civility" value={form.civility} onChange={set('civility')} errors={errors}
                options={[{ value: '', label: '—' }, { value: 'M', label: t.clients.civilities.M }, { value: 'MME', label: t.clients.civilities.MME }]} />
              {field('firstName', t.clients.firstName)}
              {field('lastName', t.clients.lastName)}
              {field('birthDate', t.clients.birthDate, { type: 'date' })}
            </>
          ) : (
            <>
              {field('companyName', t.clients.companyName)}
              {field('siret', t.clients.siret, { inputMode: 'numeric' })}
            </>
          )}
          <SelectField label={t.clients.status} name="status" value={form.status} onChange={set('status')} errors={errors}
            options={(['prospect', 'active', 'inactive'] as const).map((s) => ({ value: s, label: t.clients.statuses[s] }))} />
          <SelectField label={t.clients.salesRep} name="salesRepId" value={form.salesRepId} onChange={set('salesRepId')} errors={errors}
            options={[{ value: '', label: t.clients.noSalesRep }, ...(reps.data ?? []).map((r) => ({ value: r.id, label: `${r.displayName} (${r.code})` }))]} />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t.clients.contact}</legend>
        <div className="grid">
          {field('email', t.clients.email, { type: 'email' })}
          {field('phone', t.clients.phone, { type: 'tel' })}
          {field('mobile', t.clients.mobile, { type: 'tel' })}
          {field('line1', t.organisation.line1)}
          {field('line2', t.organisation.line2)}
          {field('postalCode', t.organisation.postalCode)}
          {field('city', t.organisation.city)}
          {field('source', t.clients.source, { list: 'client-sources' })}
          <datalist id="client-sources">{sources.data?.map((s) => <option key={s.id} value={s.label} />)}</datalist>
          {field('tags', t.clients.tags)}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.marketingConsent} onChange={(e) => setForm({ ...form, marketingConsent: e.target.checked })} />
          {t.clients.consent}
        </label>
      </fieldset>
      <div className="actions">
        <button className="button button--primary" type="submit" disabled={create.isPending || update.isPending}>
          {client ? t.clients.save : t.clients.create}
        </button>
      </div>
    </form>
  );
}
