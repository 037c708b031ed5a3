import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { CapturedMailLink } from './captured-mail-link.tsx';

export function SignupPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ name: '', email: '', password: '', organisationName: '' });
  // The answer is the same whether the address has an account or not: the mailbox tells the rest.
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate(form);
  };
  const errors = fieldErrorsOf(signUp.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  if (signUp.isSuccess) {
    return (
      <main className="auth-page">
        <div className="card auth-card" role="status">
          <h1>{t.auth.checkMailboxTitle}</h1>
          <p>{t.auth.checkMailbox(signUp.variables.email.trim().toLowerCase())}</p>
          <CapturedMailLink />
          <p className="auth-card__switch">{t.auth.haveAccount} <Link to="/connexion">{t.auth.loginSubmit}</Link></p>
        </div>
      </main>
    );
  }
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{t.auth.signupTitle}</h1>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(signUp.error)} />
        <TextField label={t.auth.organisationName} name="organisationName" required errors={errors} value={form.organisationName} onChange={set('organisationName')} />
        <TextField label={t.auth.name} name="name" autoComplete="name" required errors={errors} value={form.name} onChange={set('name')} />
        <TextField label={t.auth.email} name="email" type="email" autoComplete="email" required errors={errors} value={form.email} onChange={set('email')} />
        <TextField label={t.auth.password} name="password" type="password" autoComplete="new-password" required errors={errors}
          hint={t.auth.passwordHint} value={form.password} onChange={set('password')} />
        <button className="button button--primary" type="submit" disabled={signUp.isPending}>{t.auth.signupSubmit}</button>
        <p className="auth-card__switch">{t.auth.haveAccount} <Link to="/connexion">{t.auth.loginSubmit}</Link></p>
        <CapturedMailLink />
      </form>
    </main>
  );
}
