import type { RouterInputs } from '@crm/trpc';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FormMessage, SelectField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { AccountingExport } from './accounting-export.tsx';
import { InvoiceStatusBadge, invoiceTitle, type InvoiceStatus } from './invoice-common.tsx';

type ListInput = RouterInputs['invoices']['list'];
type Series = NonNullable<ListInput['series']>;

/** Factures: invoices and credit notes, newest first, by status and series, page by page. */
export function InvoicesPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const [series, setSeries] = useState<Series | ''>('');
  const input: ListInput = { limit: 50, ...(status ? { status } : {}), ...(series ? { series } : {}) };
  const list = useInfiniteQuery(trpc.invoices.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const queryClient = useQueryClient();
  const canWrite = useCan('invoices.write');
  const fromSchedule = useMutation(trpc.invoices.draftFromSchedule.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.invoices.list.pathKey() }) }));
  const i = t.invoices;
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{i.title}</h1>
        {canWrite && <button type="button" className="button button--primary" onClick={() => fromSchedule.mutate({})} disabled={fromSchedule.isPending}>{i.fromSchedule}</button>}
      </div>
      <FormMessage error={messageOf(fromSchedule.error)} success={fromSchedule.data ? i.fromScheduleDone(fromSchedule.data.created) : null} />
      <div className="grid">
        <SelectField label={i.status} name="status" value={status} onChange={(e) => setStatus(e.target.value as InvoiceStatus | '')}
          options={[{ value: '', label: i.allStatuses }, ...Object.entries(i.statuses).map(([value, label]) => ({ value, label }))]} />
        <SelectField label={i.series} name="series" value={series} onChange={(e) => setSeries(e.target.value as Series | '')}
          options={[{ value: '', label: i.allSeries }, ...Object.entries(i.seriesNames).map(([value, label]) => ({ value, label }))]} />
      </div>
      <FormMessage error={list.isError ? messageOf(list.error) : null} />
      <InvoiceTable items={items} onOpen={(id) => void navigate(`/factures/${id}`)} showClient empty={list.isSuccess && items.length === 0} />
      {list.hasNextPage && <button type="button" className="button button--ghost" onClick={() => void list.fetchNextPage()}>{i.more}</button>}
      <AccountingExport />
    </section>
  );
}

type Row = { id: string; kind: 'invoice' | 'credit_note'; number: string | null; status: InvoiceStatus; statusLabel: string; client: { displayName: string }; issueDate: string | null; dueDate: string | null; grossCents: number; remainingCents: number };

function InvoiceTable({ items, onOpen, showClient, empty }: { items: Row[]; onOpen: (id: string) => void; showClient: boolean; empty: boolean }) {
  const i = t.invoices;
  const columns = showClient ? 7 : 6;
  return (
    <div className="table-wrap"><table className="table table--clickable table--stack">
      <thead><tr><th>{i.number}</th>{showClient && <th>{i.client}</th>}<th>{i.status}</th><th>{i.issueDate}</th><th>{i.dueDate}</th><th>{i.total}</th><th>{i.remaining}</th></tr></thead>
      <tbody>
        {empty && <tr><td colSpan={columns} className="muted">{i.empty}</td></tr>}
        {items.map((row) => (
          <tr key={row.id} onClick={() => onOpen(row.id)}>
            <td><Link to={`/factures/${row.id}`}>{invoiceTitle(row)}</Link></td>
            {showClient && <td data-label={i.client}>{row.client.displayName}</td>}
            <td data-label={i.status}><InvoiceStatusBadge status={row.status} label={row.statusLabel} /></td>
            <td data-label={i.issueDate}>{row.issueDate ? formatDate(row.issueDate) : '—'}</td>
            <td data-label={i.dueDate}>{row.dueDate ? formatDate(row.dueDate) : '—'}</td>
            <td data-label={i.total}>{formatEur(row.kind === 'credit_note' ? -row.grossCents : row.grossCents)} TTC</td>
            <td data-label={i.remaining}>{row.kind === 'credit_note' || row.status === 'draft' ? '—' : formatEur(row.remainingCents)}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}

/** The invoices of one client, on the client page. */
export function ClientInvoices({ clientId }: { clientId: string }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const canWrite = useCan('invoices.write');
  const list = useInfiniteQuery(trpc.invoices.list.infiniteQueryOptions({ clientId, limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="card stack">
      <div className="page-header">
        <h2>{t.invoices.clientSection}</h2>
        {canWrite && <Link className="button button--ghost" to={`/factures/nouvelle?client=${clientId}`}>{t.invoices.newInvoice}</Link>}
      </div>
      {list.isSuccess && items.length === 0 ? <p className="muted">{t.invoices.empty}</p> : (
        <InvoiceTable items={items} onOpen={(id) => void navigate(`/factures/${id}`)} showClient={false} empty={false} />
      )}
      {list.hasNextPage && <button type="button" className="button button--ghost" onClick={() => void list.fetchNextPage()}>{t.invoices.more}</button>}
    </div>
  );
}
