import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { LoadMore } from './load-more.tsx';
import { ReasonBadge } from './payment-badges.tsx';

/** The client page's payments: what was received and what was rejected, newest first. */
export function ClientPayments({ clientId }: { clientId: string }) {
  const canRead = useCan('payments.read');
  const trpc = useTRPC();
  const payments = useInfiniteQuery(
    trpc.payments.list.infiniteQueryOptions({ clientId, limit: 50 }, { enabled: canRead, getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  if (!canRead) return null;
  const rows = payments.data?.pages.flatMap((page) => page.items);
  const p = t.payments;
  return (
    <div className="card" role="region" aria-label={p.nav.payments}>
      <h2>{p.nav.payments}</h2>
      {payments.isError && <p className="field__error">{messageOf(payments.error)}</p>}
      {rows?.length === 0 && <p className="muted">{p.clientEmpty}</p>}
      {Boolean(rows?.length) && (
        <div className="table-wrap"><table className="table">
          <thead><tr><th>{p.date}</th><th>{p.contract}</th><th>{p.amount}</th><th>{p.method}</th><th>{p.outcome}</th><th>{p.reasonCode}</th></tr></thead>
          <tbody>
            {rows?.map((payment) => (
              <tr key={payment.id}>
                <td>{formatDate(payment.valueDate)}</td>
                <td>{payment.contractId ? <Link to={`/contrats/${payment.contractId}`}>{payment.contractNumber}</Link> : '—'}</td>
                <td>{formatEur(payment.amountCents)}</td>
                <td>{p.methods[payment.method]}</td>
                <td><span className={`badge badge--${payment.outcome === 'received' ? 'active' : 'archived'}`}>{payment.rTransaction && payment.rTransaction !== 'reject' ? p.rTransactions[payment.rTransaction] : p.outcomes[payment.outcome]}</span></td>
                <td><ReasonBadge label={payment.reasonLabel} category={payment.reasonCategory} /></td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      <LoadMore pages={payments} />
    </div>
  );
}
