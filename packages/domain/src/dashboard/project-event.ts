import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';

import { parisDay } from '../shared/paris-day.ts';


/**
 * Keeps the dashboard's counters per tenant and day. One upsert per event; the dashboard
 * consumer runs it at most once per event (handleEventOnce), so the counters are exact.
 */
export async function projectEventOnDashboard(tx: Tx, event: EventEnvelope): Promise<void> {
  const deltas = deltasOf(event);
  if (!deltas) return;
  const day = parisDay(event.occurredAt);
  const [newClients, contractsSigned, invoicesIssued, invoicedCents, paymentsReceived, receivedCents, paymentsRejected, rejectedCents] = deltas;
  await tx.$executeRaw`
    INSERT INTO dashboard_daily (tenant_id, day, new_clients, contracts_signed, invoices_issued, invoiced_cents,
                                 payments_received, received_cents, payments_rejected, rejected_cents)
    VALUES (${event.tenantId}::uuid, ${day}::date, ${newClients}, ${contractsSigned}, ${invoicesIssued}, ${invoicedCents},
            ${paymentsReceived}, ${receivedCents}, ${paymentsRejected}, ${rejectedCents})
    ON CONFLICT (tenant_id, day) DO UPDATE SET
      new_clients = dashboard_daily.new_clients + EXCLUDED.new_clients,
      contracts_signed = dashboard_daily.contracts_signed + EXCLUDED.contracts_signed,
      invoices_issued = dashboard_daily.invoices_issued + EXCLUDED.invoices_issued,
      invoiced_cents = dashboard_daily.invoiced_cents + EXCLUDED.invoiced_cents,
      payments_received = dashboard_daily.payments_received + EXCLUDED.payments_received,
      received_cents = dashboard_daily.received_cents + EXCLUDED.received_cents,
      payments_rejected = dashboard_daily.payments_rejected + EXCLUDED.payments_rejected,
      rejected_cents = dashboard_daily.rejected_cents + EXCLUDED.rejected_cents`;
}

type Deltas = [number, number, number, number, number, number, number, number];

function deltasOf(event: EventEnvelope): Deltas | null {
  switch (event.type) {
    case 'client.created':
      return [1, 0, 0, 0, 0, 0, 0, 0];
    case 'contract.signed':
      return [0, 1, 0, 0, 0, 0, 0, 0];
    case 'invoice.created': {
      const { totalCents } = event.payload as EventEnvelope<'invoice.created'>['payload'];
      return [0, 0, 1, totalCents, 0, 0, 0, 0];
    }
    case 'payment.received': {
      const { amountCents } = event.payload as EventEnvelope<'payment.received'>['payload'];
      return [0, 0, 0, 0, 1, amountCents, 0, 0];
    }
    case 'payment.rejected': {
      const { amountCents } = event.payload as EventEnvelope<'payment.rejected'>['payload'];
      return [0, 0, 0, 0, 0, 0, 1, amountCents];
    }
    default:
      return null;
  }
}
