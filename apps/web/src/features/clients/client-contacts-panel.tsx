import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatPhone } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useDialogs } from '../../components/confirm-dialog.tsx';

type Contact = RouterOutputs['clientContacts']['list'][number];
type Civility = '' | 'M' | 'MME';
const NEW = 'new';

const nameOf = (c: Pick<Contact, 'firstName' | 'lastName'>) => [c.firstName, c.lastName?.toUpperCase()].filter(Boolean).join(' ');

/** The form's values: what the server parses (phones typed as dialled, empty fields cleared). */
interface ContactValues {
  civility: 'M' | 'MME' | null;
  firstName: string | null;
  lastName: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
}

function valuesOf(form: HTMLFormElement): ContactValues {
  const data = new FormData(form);
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value.trim() || null : null;
  };
  const civility = text('civility');
  return {
    civility: civility === 'M' || civility === 'MME' ? civility : null,
    firstName: text('firstName'),
    lastName: text('lastName'),
    role: text('role'),
    email: text('email'),
    phone: text('phone'),
    mobile: text('mobile'),
  };
}

function ContactForm({ contact, pending, error, onSubmit, onCancel }: { contact?: Contact; pending: boolean; error: unknown; onSubmit: (values: ContactValues) => void; onCancel: () => void }) {
  const errors = fieldErrorsOf(error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(valuesOf(event.currentTarget));
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={contact ? t.clientContacts.edit : t.clientContacts.add}>
      <div className="grid-2">
        <SelectField
          label={t.clientContacts.civility}
          name="civility"
          errors={errors}
          defaultValue={contact?.civility ?? ''}
          options={(Object.keys(t.clientContacts.civilities) as Civility[]).map((value) => ({ value, label: t.clientContacts.civilities[value] }))}
        />
        <TextField label={t.clientContacts.role} name="role" errors={errors} defaultValue={contact?.role ?? ''} maxLength={120} />
        <TextField label={t.clientContacts.firstName} name="firstName" errors={errors} defaultValue={contact?.firstName ?? ''} maxLength={80} />
        <TextField label={t.clientContacts.lastName} name="lastName" errors={errors} defaultValue={contact?.lastName ?? ''} maxLength={80} />
        <TextField label={t.clientContacts.email} name="email" type="email" errors={errors} defaultValue={contact?.email ?? ''} />
        <TextField label={t.clientContacts.phone} name="phone" type="tel" errors={errors} defaultValue={contact?.phone ? formatPhone(contact.phone) : ''} />
        <TextField label={t.clientContacts.mobile} name="mobile" type="tel" errors={errors} defaultValue={contact?.mobile ? formatPhone(contact.mobile) : ''} />
      </div>
      {Object.keys(errors).length === 0 && <FormMessage error={messageOf(error)} />}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={pending}>{t.clientContacts.save}</button>
        <button type="button" className="button button--ghost" onClick={onCancel}>{t.clientContacts.cancel}</button>
      </div>
    </form>
  );
}

/**
 * The people to deal with at a company: name, role, e-mail, phones; added, corrected and
 * removed here (`clientContacts` procedures). Shown on a company's page only.
 */
export function ClientContactsPanel({ clientId, canWrite }: { clientId: string; canWrite: boolean }) {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const contacts = useQuery(trpc.clientContacts.list.queryOptions({ clientId }));
  /** The contact being edited, NEW for the add form, or null. */
  const [editing, setEditing] = useState<string | null>(null);
  const done = () => {
    setEditing(null);
    void queryClient.invalidateQueries({ queryKey: trpc.clientContacts.pathKey() });
    // The company's search finds its contacts: its list entries change too.
    void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
  };
  const add = useMutation(trpc.clientContacts.add.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.clientContacts.update.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.clientContacts.remove.mutationOptions({ onSuccess: done }));
  const rows = contacts.data ?? [];
  const open = (id: string) => {
    add.reset();
    update.reset();
    setEditing(id);
  };
  return (
    <section className="card stack" aria-labelledby="contacts-title">
      <div className="page-header">
        <h2 id="contacts-title">{t.clientContacts.title}</h2>
        {canWrite && editing === null && (
          <button type="button" className="button button--ghost" onClick={() => open(NEW)}>{t.clientContacts.add}</button>
        )}
      </div>
      <FormMessage error={messageOf(contacts.error ?? remove.error)} />
      {contacts.isSuccess && rows.length === 0 && editing !== NEW && <p className="muted">{t.clientContacts.empty}</p>}
      {rows.length > 0 && (
        <div className="table-wrap"><table className="table">
          <thead>
            <tr>
              <th>{t.clientContacts.name}</th>
              <th>{t.clientContacts.role}</th>
              <th>{t.clientContacts.email}</th>
              <th>{t.clientContacts.phone}</th>
              {canWrite && <th className="table__actions" aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) =>
              editing === c.id ? (
                <tr key={c.id}>
                  <td colSpan={canWrite ? 5 : 4}>
                    <ContactForm contact={c} pending={update.isPending} error={update.error} onCancel={() => setEditing(null)} onSubmit={(values) => update.mutate({ contactId: c.id, ...values })} />
                  </td>
                </tr>
              ) : (
                <tr key={c.id}>
                  <td>{[c.civility ? t.clientContacts.civilities[c.civility as Civility] : null, nameOf(c)].filter(Boolean).join(' ')}</td>
                  <td>{c.role ?? ''}</td>
                  <td>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : ''}</td>
                  <td>{[c.phone, c.mobile].filter((p): p is string => Boolean(p)).map(formatPhone).join(' · ')}</td>
                  {canWrite && (
                    <td className="table__actions">
                      <button type="button" className="button button--ghost" onClick={() => open(c.id)}>{t.clientContacts.edit}</button>
                      <button
                        type="button"
                        className="button button--danger"
                        disabled={remove.isPending}
                        onClick={() => void confirm({ title: t.clientContacts.removeConfirm(nameOf(c)), confirmLabel: t.clientContacts.remove, danger: true }).then((ok) => ok && remove.mutate({ contactId: c.id }))}
                      >
                        {t.clientContacts.remove}
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table></div>
      )}
      {editing === NEW && (
        <ContactForm pending={add.isPending} error={add.error} onCancel={() => setEditing(null)} onSubmit={(values) => add.mutate({ clientId, ...values })} />
      )}
    </section>
  );
}
