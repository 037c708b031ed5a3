import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { CapturedMailLink } from './captured-mail-link.tsx';
import { useOpenSession } from './session.tsx';

export function LoginPage() {
  const trpc = useTRPC();
  const openSession = useOpenSession();
  const [form, setForm] = useState({ email: '', password: '' });
  const login = useMutation(
    trpc.auth.logIn.mutationOptions({
      onSuccess: openSession,
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(form);
  };
  const errors = fieldErrorsOf(login.error);
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{t.auth.loginTitle}</h1>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(login.error)} />
        <TextField label={t.auth.email} name="email" type="email" autoComplete="email" required errors={errors}
          value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <TextField label={t.auth.password} name="password" type="password" autoComplete="current-password" required errors={errors}
          value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <button className="button button--primary" type="submit" disabled={login.isPending}>{t.auth.loginSubmit}</button>
        <p className="auth-card__switch"><Link to="/mot-de-passe-oublie">{t.password.forgot}</Link></p>
        <p className="auth-card__switch">{t.auth.noAccount} <Link to="/inscription">{t.auth.createAccount}</Link></p>
        <CapturedMailLink />
      </form>
    </main>
  );
}
