import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { useTRPC } from '../../trpc.ts';

// Beside the login and sign-up pages; the mail page itself (captured-mail.tsx) loads when opened.

/** Whether the API shows its mail instead of sending it (MAIL_CAPTURE: embedded mode, development). */
export function useMailCapture(): boolean {
  const trpc = useTRPC();
  const enabled = useQuery({ ...trpc.capturedMails.enabled.queryOptions(), staleTime: Infinity, retry: false });
  return enabled.data?.enabled === true;
}

/** The way to the captured mail, shown on the login and sign-up pages only when capture is on. */
export function CapturedMailLink() {
  if (!useMailCapture()) return null;
  return (
    <p className="auth-card__switch">
      <Link to="/courriers">{t.auth.capturedMailLink}</Link>
    </p>
  );
}
