import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';

/** The bell: unread count, the latest notifications, and new ones pushed live over SSE. */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const unread = useQuery(trpc.notifications.unreadCount.queryOptions());
  const list = useQuery({ ...trpc.notifications.list.queryOptions({ limit: 10 }), enabled: open });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() });
  };
  useSubscription(
    trpc.notifications.onNotification.subscriptionOptions(undefined, {
      onData: ({ data }) => {
        setFlash(data.title);
        refresh();
      },
    }),
  );
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(null), 6_000);
    return () => clearTimeout(timer);
  }, [flash]);
  // Like any menu: Escape or a click elsewhere closes it (it covers the page's top right).
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (panel.current && !panel.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));
  const markAll = useMutation(trpc.notifications.markAllRead.mutationOptions({ onSuccess: refresh }));
  const count = unread.data ?? 0;
  return (
    <div className="bell" ref={panel}>
      <button type="button" className="button button--ghost bell__button" aria-label={t.notifications.open(count)} aria-expanded={open}
        onClick={() => setOpen(!open)}>
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {count > 0 && <span className="bell__count" data-testid="unread-count">{count}</span>}
      </button>
      {flash && <div className="toast" role="status">{flash}</div>}
      {open && (
        <div className="bell__panel card" role="dialog" aria-label={t.notifications.title}>
          <div className="bell__header">
            <strong>{t.notifications.title}</strong>
            <button type="button" className="button button--ghost" disabled={count === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
              {t.notifications.markAllRead}
            </button>
          </div>
          {list.data?.items.length === 0 && <p className="muted">{t.notifications.empty}</p>}
          <ul className="bell__list">
            {list.data?.items.map((n) => (
              <li key={n.id} className={n.read ? 'bell__item' : 'bell__item bell__item--unread'}>
                <button type="button" onClick={() => {
                  if (!n.read) markRead.mutate({ notificationId: n.id });
                  setOpen(false);
                  if (n.link) void navigate(n.link);
                }}>
                  <strong>{n.title}</strong>
                  <span>{n.body}</span>
                  <small className="muted">{formatDateTime(n.createdAt)}</small>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
