import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormMessage, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { CapturedMailLink } from './captured-mail-link.tsx';

/** Asks for a reset link by e-mail. The answer is the same whether the address has an account or not. */
export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ email });
  };
  const errors = fieldErrorsOf(request.error);
  if (request.isSuccess) {
    return (
      <main className="auth-page">
        <div className="card auth-card" role="status">
          <h1>{t.auth.checkMailboxTitle}</h1>
          <p>{t.password.resetSent(request.variables.email.trim().toLowerCase())}</p>
          <CapturedMailLink />
          <p className="auth-card__switch"><Link to="/connexion">{t.auth.loginSubmit}</Link></p>
        </div>
      </main>
    );
  }
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{t.password.forgotTitle}</h1>
        <p>{t.password.forgotIntro}</p>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(request.error)} />
        <TextField label={t.auth.email} name="email" type="email" autoComplete="email" required errors={errors} value={email} onChange={(e) => setEmail(e.target.value)} />
        <button className="button button--primary" type="submit" disabled={request.isPending}>{t.password.forgotSubmit}</button>
        <p className="auth-card__switch"><Link to="/connexion">{t.auth.loginSubmit}</Link></p>
        <CapturedMailLink />
      </form>
    </main>
  );
}

/**
 * Where the reset mail's link leads (`/reinitialiser-mot-de-passe#<secret>`): the secret is after
 * '#', so it never reaches a server log; it is read once and taken out of the address bar.
 */
export function ResetPasswordPage() {
  const trpc = useTRPC();
  const [token] = useState(() => window.location.hash.slice(1));
  // Out of the address bar once read (in an effect: a state initialiser may run twice).
  useEffect(() => {
    if (token) window.history.replaceState(null, '', window.location.pathname);
  }, [token]);
  const [password, setPassword] = useState('');
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ token, password });
  };
  const errors = fieldErrorsOf(reset.error);
  if (reset.isSuccess) {
    return (
      <main className="auth-page">
        <div className="card auth-card" role="status">
          <h1>{t.password.resetTitle}</h1>
          <p>{t.password.resetDone}</p>
          <p className="auth-card__switch"><Link to="/connexion">{t.auth.loginSubmit}</Link></p>
        </div>
      </main>
    );
  }
  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>{t.password.resetTitle}</h1>
        <FormMessage error={!token ? t.password.missingLink : errors.password ? null : messageOf(reset.error)} />
        <TextField label={t.password.newPassword} name="password" type="password" autoComplete="new-password" required errors={errors}
          hint={t.auth.passwordHint} value={password} onChange={(e) => setPassword(e.target.value)} />
        <button className="button button--primary" type="submit" disabled={reset.isPending || !token}>{t.password.resetSubmit}</button>
        <p className="auth-card__switch"><Link to="/mot-de-passe-oublie">{t.password.askAgain}</Link></p>
      </form>
    </main>
  );
}

/** The signed-in user's own password: the current one required; other sessions are closed. */
export function ChangePasswordPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const change = useMutation(trpc.auth.changePassword.mutationOptions({ onSuccess: () => setForm({ currentPassword: '', newPassword: '' }) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(form);
  };
  const errors = fieldErrorsOf(change.error);
  return (
    <section className="page">
      <h1>{t.password.changeTitle}</h1>
      <form className="card" onSubmit={submit} noValidate>
        <FormMessage error={Object.keys(errors).length ? null : messageOf(change.error)} />
        {change.isSuccess ? <p role="status">{t.password.changeDone}</p> : null}
        <TextField label={t.password.currentPassword} name="currentPassword" type="password" autoComplete="current-password" required errors={errors}
          value={form.currentPassword} onChange={(e) => setForm({ ...form, currentPassword: e.target.value })} />
        <TextField label={t.password.newPassword} name="newPassword" type="password" autoComplete="new-password" required errors={errors}
          hint={t.auth.passwordHint} value={form.newPassword} onChange={(e) => setForm({ ...form, newPassword: e.target.value })} />
        <button className="button button--primary" type="submit" disabled={change.isPending}>{t.password.changeSubmit}</button>
      </form>
    </section>
  );
}
