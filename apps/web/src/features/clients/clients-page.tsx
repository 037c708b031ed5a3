import type { RouterInputs } from '@crm/trpc';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { sessionToken } from '../../lib/session-token.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

type ListInput = RouterInputs['clients']['list'];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The current filtered list as a CSV file (streamed by the API; the token goes in the header). */
async function downloadCsv(filters: Record<string, string | undefined>) {
  const params = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const response = await fetch(`/exports/clients.csv?${params}`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'clients.csv',
  });
  link.click();
  URL.revokeObjectURL(url);
}

export function ClientsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const canWrite = useCan('clients.write');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListInput['status'] | ''>('');
  const [sort, setSort] = useState<NonNullable<ListInput['sort']>>('name');
  const query = useDebounced(search.trim(), 250);
  const clients = useInfiniteQuery(
    trpc.clients.list.infiniteQueryOptions(
      { search: query || undefined, status: status || undefined, sort, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: (previous) => previous },
    ),
  );
  // Keyset pages load as the end of the table scrolls into view.
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries[0]?.isIntersecting && clients.hasNextPage && !clients.isFetchingNextPage) void clients.fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [clients]);
  const rows = clients.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.clients.title}</h1>
        <div className="actions">
          <button type="button" className="button button--ghost" onClick={() => void downloadCsv({ search: query, status, sort })}>{t.clients.export}</button>
          {canWrite && <Link className="button button--primary" to="/clients/nouveau">{t.clients.new}</Link>}
        </div>
      </div>
      <div className="filters">
        <input type="search" aria-label={t.clients.search} placeholder={t.clients.search} value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label={t.clients.status} value={status} onChange={(e) => setStatus(e.target.value as ListInput['status'] | '')}>
          <option value="">{t.clients.allStatuses}</option>
          {(Object.keys(t.clients.statuses) as (keyof typeof t.clients.statuses)[]).map((s) => (
            <option key={s} value={s}>{t.clients.statuses[s]}</option>
          ))}
        </select>
        <select aria-label={t.clients.sort} value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
          <option value="name">{t.clients.sortName}</option>
          <option value="newest">{t.clients.sortNewest}</option>
          <option value="oldest">{t.clients.sortOldest}</option>
        </select>
      </div>
      <table className="table table--clickable">
        <thead>
          <tr><th>{t.clients.name}</th><th>{t.clients.email}</th><th>{t.clients.phone}</th><th>{t.clients.city}</th><th>{t.clients.status}</th><th>{t.clients.createdAt}</th></tr>
        </thead>
        <tbody>
          {clients.isError && <tr><td colSpan={6} className="field__error">{messageOf(clients.error)}</td></tr>}
          {rows.length === 0 && clients.isSuccess && <tr><td colSpan={6} className="muted">{t.clients.empty}</td></tr>}
          {rows.map((c) => (
            <tr key={c.id} onClick={() => void navigate(`/clients/${c.id}`)}>
              <td><Link to={`/clients/${c.id}`}>{c.displayName}</Link></td>
              <td>{c.email ?? ''}</td>
              <td>{c.phone ?? ''}</td>
              <td>{c.city ?? ''}</td>
              <td><span className={`badge badge--${c.status}`}>{t.clients.statuses[c.status]}</span></td>
              <td>{formatDate(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={sentinel} />
      {clients.hasNextPage && (
        <button type="button" className="button button--ghost" disabled={clients.isFetchingNextPage} onClick={() => void clients.fetchNextPage()}>
          {t.clients.more}
        </button>
      )}
    </section>
  );
}
