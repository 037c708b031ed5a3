import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useOpenSession } from './session.tsx';

/**
 * Where the link of a sign-up's mail leads (`/verifier-email#<secret>`): the secret is after '#',
 * so it never reaches a server log; it is read once, taken out of the address bar, and traded
 * for the new account's session.
 */
export function VerifyEmailPage() {
  const trpc = useTRPC();
  const openSession = useOpenSession();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions({ onSuccess: openSession }));
  const [token] = useState(() => window.location.hash.slice(1));
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current || !token) return;
    sent.current = true; // the link works once: never send it twice
    window.history.replaceState(null, '', window.location.pathname);
    verify.mutate({ token });
  }, [token, verify]);
  const error = token ? messageOf(verify.error) : t.auth.verifyMissingLink;
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <h1>{t.auth.verifyTitle}</h1>
        {error ? <FormMessage error={error} /> : <p>{t.auth.verifying}</p>}
        <p className="auth-card__switch">
          <Link to="/connexion">{t.auth.loginSubmit}</Link>
        </p>
      </div>
    </main>
  );
}
