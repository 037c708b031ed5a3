import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { formatDateTime } from '../../lib/format.ts';
import { messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';

/** "Courriers envoyés": the system's mail, as a development mail catcher shows it. */
export function CapturedMailPage() {
  const trpc = useTRPC();
  const mails = useQuery({ ...trpc.capturedMails.list.queryOptions(undefined), refetchInterval: 3_000, retry: false });
  return (
    <main className="auth-page">
      <div className="card captured-mail">
        <h1>{t.capturedMail.title}</h1>
        <p className="muted">{t.capturedMail.intro}</p>
        <FormMessage error={messageOf(mails.error)} />
        {mails.data?.length === 0 && <p>{t.capturedMail.empty}</p>}
        {mails.data?.map((mail) => (
          <article key={mail.id} className="captured-mail__item" aria-label={`${mail.subject} — ${mail.recipient}`}>
            <h2>{mail.subject}</h2>
            <p className="muted">
              {t.capturedMail.to} {mail.recipient} · {formatDateTime(mail.createdAt)}
            </p>
            <pre className="captured-mail__body">{mail.textBody}</pre>
            {mail.link && (
              <a className="button button--primary" href={mail.link}>
                {t.capturedMail.openLink}
              </a>
            )}
          </article>
        ))}
        <p className="auth-card__switch">
          <Link to="/connexion">{t.capturedMail.back}</Link>
        </p>
      </div>
    </main>
  );
}
