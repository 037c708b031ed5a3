import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan, useMe } from '../auth/session.tsx';
import { ROLE_OPTIONS, type Role } from '../members/roles.ts';

export function InvitationsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('invitations.write');
  const myRole = useMe().data?.role;
  const invitations = useQuery(trpc.invitations.list.queryOptions());
  const [form, setForm] = useState<{ email: string; role: Role }>({ email: '', role: 'sales' });
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
  const create = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: (created) => {
        setLink(`${window.location.origin}/invitation/${created.token}`);
        setCopied(false);
        setForm({ email: '', role: form.role });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.invitations.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLink(null);
    create.mutate(form);
  };
  return (
    <section className="stack">
      {canWrite && (
        <form className="card inline-form" onSubmit={submit} noValidate>
          <h2>{t.invitations.invite}</h2>
          <FormMessage error={Object.keys(errors).length ? null : messageOf(create.error ?? revoke.error)} />
          <div className="grid">
            <TextField label={t.invitations.email} name="email" type="email" errors={errors} value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })} />
            <SelectField label={t.invitations.role} name="role" errors={errors} value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
              options={ROLE_OPTIONS.filter((o) => myRole === 'owner' || o.value !== 'owner')} />
          </div>
          <div className="actions">
            <button className="button button--primary" type="submit" disabled={create.isPending}>{t.invitations.send}</button>
          </div>
          {link && (
            <div className="notice notice--success">
              <p>{t.invitations.linkLabel}</p>
              <code className="invitation-link" data-testid="invitation-link">{link}</code>
              <button type="button" className="button button--ghost"
                onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true))}>
                {copied ? t.invitations.copied : t.invitations.copy}
              </button>
            </div>
          )}
        </form>
      )}
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.invitations.email}</th><th>{t.invitations.role}</th><th>Statut</th><th>{t.invitations.invitedBy}</th><th>{t.invitations.expiresAt}</th><th /></tr>
        </thead>
        <tbody>
          {invitations.data?.length === 0 && <tr><td colSpan={6} className="muted">{t.invitations.empty}</td></tr>}
          {invitations.data?.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{t.roles[i.role]}</td>
              <td><span className={`badge badge--${i.status}`}>{t.invitations.status[i.status]}</span></td>
              <td>{i.invitedBy}</td>
              <td>{formatDate(i.expiresAt)}</td>
              <td className="table__actions">
                {canWrite && i.status === 'pending' && (
                  <button type="button" className="button button--ghost" disabled={revoke.isPending}
                    onClick={() => revoke.mutate({ invitationId: i.id })}>{t.invitations.revoke}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}
