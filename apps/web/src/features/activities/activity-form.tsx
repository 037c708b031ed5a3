import type { RouterInputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';

type Kind = RouterInputs['activities']['create']['kind'];
const KINDS = Object.keys(t.activities.kinds) as Kind[];

/** Refreshes everything that shows activities: my tasks, client activities, client timelines. */
export function useRefreshActivities() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.activities.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.clients.timeline.pathKey() });
  };
}

/**
 * Adds an activity: for a given client (client page), or a task optionally linked to a client
 * found by search ("Mes tâches"). The due date is asked for tasks.
 */
export function ActivityForm({ clientId, kinds = KINDS, title }: { clientId?: string; kinds?: Kind[]; title: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshActivities();
  const empty = { kind: kinds[0]!, type: '', subject: '', body: '', dueDate: '', clientId: '' };
  const [form, setForm] = useState(empty);
  const [clientSearch, setClientSearch] = useState('');
  const types = useQuery(trpc.lists.items.queryOptions({ kind: 'activity_type' }));
  const clients = useQuery({ ...trpc.clients.list.queryOptions({ search: clientSearch || undefined, limit: 20 }), enabled: !clientId });
  const create = useMutation(
    trpc.activities.create.mutationOptions({
      onSuccess: () => {
        setForm({ ...empty, kind: form.kind });
        refresh();
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      kind: form.kind,
      type: form.type || null,
      subject: form.subject,
      body: form.body,
      clientId: clientId ?? (form.clientId || null),
      dueDate: form.kind === 'task' && form.dueDate ? form.dueDate : null,
    });
  };
  return (
    <form className="card inline-form" onSubmit={submit} noValidate>
      <h2>{title}</h2>
      <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error)} success={create.isSuccess ? t.activities.added : null} />
      <div className="grid">
        {kinds.length > 1 && (
          <SelectField label={t.activities.kind} name="kind" errors={errors} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })}
            options={kinds.map((k) => ({ value: k, label: t.activities.kinds[k] }))} />
        )}
        <SelectField label={t.activities.type} name="type" errors={errors} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}
          options={[{ value: '', label: t.activities.noType }, ...(types.data ?? []).map((i) => ({ value: i.label, label: i.label }))]} />
        <TextField label={t.activities.subject} name="subject" errors={errors} value={form.subject} onChange={(e) => setForm({ ...form, subject: e.target.value })} />
        {form.kind === 'task' && (
          <TextField label={t.activities.dueDate} name="dueDate" type="date" errors={errors} value={form.dueDate} onChange={(e) => setForm({ ...form, dueDate: e.target.value })} />
        )}
      </div>
      {!clientId && (
        <div className="grid">
          <TextField label={t.activities.clientSearch} name="clientSearch" type="search" value={clientSearch} onChange={(e) => setClientSearch(e.target.value)} />
          <SelectField label={t.activities.client} name="clientId" errors={errors} value={form.clientId} onChange={(e) => setForm({ ...form, clientId: e.target.value })}
            options={[{ value: '', label: t.activities.noClient }, ...(clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.displayName }))]} />
        </div>
      )}
      <TextAreaField label={t.activities.body} name="body" errors={errors} value={form.body} onChange={(e) => setForm({ ...form, body: e.target.value })} />
      <div className="actions">
        <button className="button button--primary" type="submit" disabled={create.isPending}>{t.activities.save}</button>
      </div>
    </form>
  );
}
