import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { t } from '../../i18n/fr.ts';
import { formatDate } from '../../lib/format.ts';
import { messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useDialogs } from '../../components/confirm-dialog.tsx';

/**
 * "Abonnement iCalendar": my private feed URL for Google Calendar or Outlook. Only its hash is
 * stored, so the URL shows once, when it is made; making a new one stops the old one.
 */
export function CalendarFeedCard() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const feed = useQuery(trpc.appointments.myFeed.queryOptions());
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const rotate = useMutation(
    trpc.appointments.rotateFeed.mutationOptions({
      onSuccess: (result) => {
        setUrl(`${window.location.origin}${result.path}`);
        setCopied(false);
        void queryClient.invalidateQueries({ queryKey: trpc.appointments.myFeed.queryKey() });
      },
    }),
  );
  const active = feed.data?.active ?? false;
  const renew = async () => {
    if (active && !(await confirm({ title: t.agenda.feed.rotateConfirm, confirmLabel: t.agenda.feed.rotate }))) return;
    rotate.mutate();
  };
  const copy = async () => {
    if (!url) return;
    await navigator.clipboard.writeText(url).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <section className="card" aria-labelledby="feed-title">
      <h2 id="feed-title">{t.agenda.feed.title}</h2>
      <p className="muted">{t.agenda.feed.intro}</p>
      {rotate.error && <p className="notice notice--error" role="alert">{messageOf(rotate.error)}</p>}
      {url ? (
        <>
          <div className="feed-url">
            <input readOnly value={url} aria-label={t.agenda.feed.url} onFocus={(e) => e.target.select()} />
            <button type="button" className="button button--primary" onClick={() => void copy()}>{copied ? t.agenda.feed.copied : t.agenda.feed.copy}</button>
            <a className="button button--ghost" href={url.replace(/^https?:/, 'webcal:')}>{t.agenda.feed.subscribe}</a>
          </div>
          <p className="field__hint">{t.agenda.feed.shownOnce}</p>
        </>
      ) : (
        active && feed.data?.createdAt && <p>{t.agenda.feed.activeSince(formatDate(feed.data.createdAt))}</p>
      )}
      <div className="actions">
        <button type="button" className="button button--ghost" onClick={() => void renew()} disabled={rotate.isPending || feed.isPending}>
          {active ? t.agenda.feed.rotate : t.agenda.feed.create}
        </button>
      </div>
    </section>
  );
}
