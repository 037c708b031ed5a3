import type { RouterInputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatPhone } from '../../lib/format.ts';
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
  const canImport = useCan('clients.import');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ListInput['status'] | ''>('');
  const [sort, setSort] = useState<NonNullable<ListInput['sort']>>('name');
  // The rep filter lives in the URL, so "see this rep's clients" is a link.
  const [params, setParams] = useSearchParams();
  const salesRep = params.get('commercial') ?? '';
  const setSalesRep = (value: string) => setParams(value ? { commercial: value } : {}, { replace: true });
  const reps = useQuery(trpc.salesReps.list.queryOptions({ includeInactive: true }));
  const repName = new Map((reps.data ?? []).map((r) => [r.id, r.displayName]));
  const query = useDebounced(search.trim(), 250);
  const clients = useInfiniteQuery(
    trpc.clients.list.infiniteQueryOptions(
      { search: query || undefined, status: status || undefined, salesRep: salesRep || undefined, sort, limit: 50 },
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
  const canReassign = useCan('clients.reassign');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setSelected((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.clients.title}</h1>
        <div className="actions">
          <button type="button" className="button button--ghost" onClick={() => void downloadCsv({ search: query, status, salesRep, sort })}>{t.clients.export}</button>
          {canImport && <Link className="button button--ghost" to="/clients/import">{t.clientImport.import}</Link>}
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
        <select aria-label={t.clients.salesRep} value={salesRep} onChange={(e) => setSalesRep(e.target.value)}>
          <option value="">{t.clients.allSalesReps}</option>
          <option value="none">{t.clients.noSalesRep}</option>
          {(reps.data ?? []).map((r) => <option key={r.id} value={r.id}>{r.displayName} ({r.code})</option>)}
        </select>
        <select aria-label={t.clients.sort} value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
          <option value="name">{t.clients.sortName}</option>
          <option value="newest">{t.clients.sortNewest}</option>
          <option value="oldest">{t.clients.sortOldest}</option>
        </select>
      </div>
      {canReassign && selected.size > 0 && (
        <ReassignBar clientIds={[...selected]} reps={reps.data ?? []} onDone={() => setSelected(new Set())} />
      )}
      <div className="table-wrap"><table className={canReassign ? 'table table--clickable table--select' : 'table table--clickable'}>
        <thead>
          <tr>
            {canReassign && (
              <th>
                <input type="checkbox" aria-label={t.clients.selectAll} checked={rows.length > 0 && rows.every((c) => selected.has(c.id))}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((c) => c.id)) : new Set())} />
              </th>
            )}
            <th>{t.clients.name}</th><th>{t.clients.email}</th><th>{t.clients.phone}</th><th>{t.clients.city}</th><th>{t.clients.status}</th><th>{t.clients.salesRep}</th><th>{t.clients.createdAt}</th></tr>
        </thead>
        <tbody>
          {clients.isError && <tr><td colSpan={8} className="field__error">{messageOf(clients.error)}</td></tr>}
          {rows.length === 0 && clients.isSuccess && <tr><td colSpan={8} className="muted">{t.clients.empty}</td></tr>}
          {rows.map((c) => (
            <tr key={c.id} onClick={() => void navigate(`/clients/${c.id}`)}>
              {canReassign && (
                <td onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={c.displayName} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                </td>
              )}
              <td><Link to={`/clients/${c.id}`}>{c.displayName}</Link></td>
              <td>{c.email ?? ''}</td>
              <td>{c.phone ? formatPhone(c.phone) : ''}</td>
              <td>{c.city ?? ''}</td>
              <td><span className={`badge badge--${c.status}`}>{t.clients.statuses[c.status]}</span></td>
              <td>{c.salesRepId ? repName.get(c.salesRepId) ?? '' : ''}</td>
              <td>{formatDate(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <div ref={sentinel} />
      {clients.hasNextPage && (
        <button type="button" className="button button--ghost" disabled={clients.isFetchingNextPage} onClick={() => void clients.fetchNextPage()}>
          {t.clients.more}
        </button>
      )}
    </section>
  );
}

/** Moves the selected clients to another rep (or to nobody), all or nothing. */
function ReassignBar({ clientIds, reps, onDone }: { clientIds: string[]; reps: { id: string; displayName: string; code: string; active: boolean }[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [to, setTo] = useState('');
  const reassign = useMutation(trpc.clients.reassign.mutationOptions({
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.salesReps.pathKey() });
      onDone();
    },
  }));
  return (
    <div className="notice selection-bar" role="region" aria-label={t.clients.reassign}>
      <strong>{t.clients.selected(clientIds.length)}</strong>
      <select aria-label={t.clients.reassignTo} value={to} onChange={(e) => setTo(e.target.value)}>
        <option value="">{t.clients.noSalesRep}</option>
        {reps.filter((r) => r.active).map((r) => <option key={r.id} value={r.id}>{r.displayName} ({r.code})</option>)}
      </select>
      <button type="button" className="button button--primary" disabled={reassign.isPending}
        onClick={() => reassign.mutate({ clientIds, toSalesRepId: to || null })}>{t.clients.reassign}</button>
      {reassign.isError && <span className="field__error">{messageOf(reassign.error)}</span>}
    </div>
  );
}
