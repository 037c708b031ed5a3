import type { RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormMessage } from '../../components/form.tsx';
import { messageOf } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { t } from '../../i18n/fr.ts';

type Transmission = RouterOutputs['invoicing']['transmission'];

const BADGE: Record<string, string> = {
  pending: 'badge badge--pending',
  rejetee: 'badge badge--overdue',
  refusee: 'badge badge--overdue',
  en_litige: 'badge badge--overdue',
  suspendue: 'badge badge--pending',
  encaissee: 'badge badge--active',
};

export function TransmissionBadge({ transmission }: { transmission: Pick<Transmission, 'status' | 'statusLabel'> }) {
  const className = transmission.status ? (BADGE[transmission.status] ?? 'badge badge--accepted') : 'badge badge--archived';
  return <span className={className}>{transmission.status ? transmission.statusLabel : t.invoicing.platform.notTransmitted}</span>;
}

/**
 * An invoice's transmission to the approved platform, for the invoice page: its lifecycle status
 * with the dated history, the deposit receipt, the last error, and "Transmettre à la plateforme"
 * (and a refresh) for the roles holding `invoices.write`. Says plainly when this installation has
 * no platform, or when the invoice is not one that is transmitted (a consumer's, a draft).
 */
export function PlatformStatus({ invoiceId }: { invoiceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useCan('invoices.write');
  const transmission = useQuery(trpc.invoicing.transmission.queryOptions({ invoiceId }));
  const refreshView = () => void queryClient.invalidateQueries({ queryKey: trpc.invoicing.transmission.queryKey({ invoiceId }) });
  const submit = useMutation(trpc.invoicing.submit.mutationOptions({ onSettled: refreshView }));
  const refresh = useMutation(trpc.invoicing.refreshStatuses.mutationOptions({ onSettled: refreshView }));
  const data = transmission.data;

  return (
    <section className="card stack" aria-label={t.invoicing.platform.title}>
      <h2>{t.invoicing.platform.title}</h2>
      <FormMessage error={messageOf(transmission.error ?? submit.error ?? refresh.error)} />
      {data && (
        <>
          <p>
            <TransmissionBadge transmission={data} />
            {data.statusAt && <span className="muted"> {formatDateTime(data.statusAt)}</span>}
          </p>
          {!data.platformConfigured && <p className="notice">{t.invoicing.platform.notConfigured}</p>}
          {data.platformConfigured && !data.transmittable && !data.transmitted && <p className="muted">{t.invoicing.platform.notTransmittable}</p>}
          {data.receipt && <p className="muted">{t.invoicing.platform.receipt(data.receipt.receiptId, formatDateTime(data.receipt.receivedAt))}</p>}
          {data.platformId && (
            <p className="muted">
              {t.invoicing.platform.platformId} : <code>{data.platformId}</code>
            </p>
          )}
          {data.lastError && (
            <p className="notice notice--error">
              {t.invoicing.platform.lastError} : {data.lastError} ({t.invoicing.platform.attempts(data.attempts)})
            </p>
          )}
          {data.history.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label={t.invoicing.platform.history}>
                <tbody>
                  {data.history.map((h) => (
                    <tr key={`${h.code}-${h.at}`}>
                      <td>{formatDateTime(h.at)}</td>
                      <td>{h.label}</td>
                      <td className="muted">{h.reason ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {canWrite && data.platformConfigured && (
            <div className="actions">
              {!data.transmitted && data.transmittable && (
                <button type="button" className="button button--primary" disabled={submit.isPending} onClick={() => submit.mutate({ invoiceId })}>
                  {t.invoicing.platform.submit}
                </button>
              )}
              {data.transmitted && (
                <button type="button" className="button button--ghost" disabled={refresh.isPending} onClick={() => refresh.mutate({ invoiceId })}>
                  {t.invoicing.platform.refresh}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
