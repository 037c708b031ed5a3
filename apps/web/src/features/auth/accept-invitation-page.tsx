import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useOpenSession } from './session.tsx';

export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const trpc = useTRPC();
  const openSession = useOpenSession();
  const preview = useQuery({ ...trpc.invitations.preview.queryOptions({ token }), retry: false });
  const [form, setForm] = useState({ name: '', password: '' });
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: openSession,
    }),
  );
  if (preview.isPending) return <main className="auth-page"><p>{t.app.loading}</p></main>;
  if (preview.isError) {
    return (
      <main className="auth-page">
        <div className="card auth-card"><h1>{t.invitation.title}</h1><FormMessage error={t.invitation.gone} /></div>
      </main>
    );
  }
  const invitation = preview.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate(invitation.hasAccount ? { token, password: form.password } : { token, name: form.name, password: form.password });
  };
  const errors = fieldErrorsOf(accept.error);
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{t.invitation.joinAs(invitation.organisationName, t.roles[invitation.role])}</h1>
        <p className="muted">{invitation.hasAccount ? t.invitation.existingAccount : t.invitation.newAccount}</p>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(accept.error)} />
        <TextField label={t.auth.email} name="email" type="email" value={invitation.email} readOnly />
        {!invitation.hasAccount && (
          <TextField label={t.auth.name} name="name" autoComplete="name" required errors={errors}
            value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        )}
        <TextField label={t.auth.password} name="password" type="password" required errors={errors}
          autoComplete={invitation.hasAccount ? 'current-password' : 'new-password'}
          hint={invitation.hasAccount ? undefined : t.auth.passwordHint}
          value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <button className="button button--primary" type="submit" disabled={accept.isPending}>{t.invitation.accept}</button>
      </form>
    </main>
  );
}
