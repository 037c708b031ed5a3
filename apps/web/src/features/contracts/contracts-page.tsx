import type { RouterInputs } from '@crm/trpc';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { ContractAmount, StatusBadge, type ContractStatus } from './contract-common.tsx';

type ListInput = RouterInputs['contracts']['list'];

export function ContractsPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const canWrite = useCan('contracts.write');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ContractStatus | ''>('');
  const input: ListInput = { limit: 50, ...(search.trim() ? { search: search.trim() } : {}), ...(status ? { status } : {}) };
  const list = useInfiniteQuery(trpc.contracts.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.contracts.title}</h1>
        {canWrite && <Link className="button button--primary" to="/contrats/nouveau">{t.contracts.newContract}</Link>}
      </div>
      <div className="grid">
        <TextField label={t.contracts.search} name="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <SelectField label={t.contracts.status} name="status" value={status} onChange={(e) => setStatus(e.target.value as ContractStatus | '')}
          options={[{ value: '', label: t.contracts.allStatuses }, ...Object.entries(t.contracts.statuses).map(([value, label]) => ({ value, label }))]} />
      </div>
      <FormMessage error={list.isError ? messageOf(list.error) : null} />
      <div className="table-wrap"><table className="table table--clickable table--stack">
        <thead><tr><th>{t.contracts.number}</th><th>{t.contracts.client}</th><th>{t.contracts.status}</th><th>{t.contracts.startDate}</th><th>{t.contracts.amount}</th></tr></thead>
        <tbody>
          {list.isSuccess && items.length === 0 && <tr><td colSpan={5} className="muted">{t.contracts.empty}</td></tr>}
          {items.map((c) => (
            <tr key={c.id} onClick={() => void navigate(`/contrats/${c.id}`)}>
              <td><Link to={`/contrats/${c.id}`}>{c.number}</Link></td>
              <td data-label={t.contracts.client}>{c.client.displayName}</td>
              <td data-label={t.contracts.status}><StatusBadge status={c.status} /></td>
              <td data-label={t.contracts.startDate}>{formatDate(c.startDate)}</td>
              <td data-label={t.contracts.amount}><ContractAmount ttcCents={c.totals.ttcCents} frequency={c.billingFrequency} /></td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {list.hasNextPage && <button type="button" className="button button--ghost" onClick={() => void list.fetchNextPage()}>{t.contracts.more}</button>}
    </section>
  );
}

/** The contracts of one client, on the client page. */
export function ClientContracts({ clientId }: { clientId: string }) {
  const trpc = useTRPC();
  const canWrite = useCan('contracts.write');
  const list = useInfiniteQuery(trpc.contracts.list.infiniteQueryOptions({ clientId, limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="card stack">
      <div className="page-header">
        <h2>{t.contracts.clientSection}</h2>
        {canWrite && <Link className="button button--ghost" to={`/contrats/nouveau?client=${clientId}`}>{t.contracts.newContract}</Link>}
      </div>
      {list.isSuccess && items.length === 0 && <p className="muted">{t.contracts.empty}</p>}
      {items.length > 0 && (
        <div className="table-wrap"><table className="table">
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/contrats/${c.id}`}>{c.number}</Link></td>
                <td><StatusBadge status={c.status} /></td>
                <td>{formatDate(c.startDate)}</td>
                <td><ContractAmount ttcCents={c.totals.ttcCents} frequency={c.billingFrequency} /></td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </div>
  );
}
