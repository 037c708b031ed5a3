import { useQuery } from '@tanstack/react-query';
import { t } from '../../i18n/fr.ts';
import { formatDate, formatEur, formatPrice } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { ItemStatusBadge, MandateStatusBadge, ReasonBadge } from './payment-badges.tsx';

/** A contract's payment schedule (for the contract page): one row per period, with its mandate. */
export function ContractSchedule({ contractId }: { contractId: string }) {
  const trpc = useTRPC();
  const canRead = useCan('payments.read');
  const schedule = useQuery({ ...trpc.payments.schedule.queryOptions({ contractId }), enabled: canRead });
  if (!canRead) return null;
  const data = schedule.data;
  return (
    <section className="card stack" aria-label={t.payments.schedule.title}>
      <h2>{t.payments.schedule.title}</h2>
      {!data && <p className="muted">{t.app.loading}</p>}
      {data?.mandate && (
        <p>{t.payments.schedule.mandate(data.mandate.rum)} ({data.mandate.scheme}) <MandateStatusBadge status={data.mandate.status} /></p>
      )}
      {data && data.items.length === 0 && <p className="muted">{t.payments.schedule.empty}</p>}
      {data && data.items.length > 0 && (
        <>
          <p className="muted">{t.payments.schedule.totals(formatEur(data.totals.plannedCents), formatEur(data.totals.paidCents), formatEur(data.totals.rejectedCents))}</p>
          <div className="table-wrap"><table className="table table--stack">
            <thead><tr><th>{t.payments.period}</th><th>{t.payments.dueDate}</th><th>{t.payments.amount}</th><th>{t.payments.status}</th><th>{t.payments.reasonCode}</th></tr></thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id}>
                  <td data-label={t.payments.period}>{formatDate(item.periodStart)} – {formatDate(item.periodEnd)}</td>
                  <td data-label={t.payments.dueDate}>{formatDate(item.collectionDate)}{item.collectionDate !== item.dueDate && <span className="muted"> ({t.payments.list.dueOn(formatDate(item.dueDate))})</span>}</td>
                  <td data-label={t.payments.amount}>{formatPrice(item.amountCents, null, 'TTC')}</td>
                  <td data-label={t.payments.status}><ItemStatusBadge status={item.status} /></td>
                  <td data-label={t.payments.reasonCode}><ReasonBadge label={item.reasonLabel} category={item.reasonCategory} /></td>
                </tr>
              ))}
            </tbody>
          </table></div>
        </>
      )}
    </section>
  );
}
