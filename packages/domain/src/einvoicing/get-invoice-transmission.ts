import { loadInvoice } from '../invoices/invoice-view.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TTransmissionInvoiceInput } from './einvoicing.schema.ts';
import type { InvoicePlatform } from '../platform/platform-port.ts';
import { toTransmissionView } from './transmission-view.ts';

/** `invoicing.transmission`: an invoice's transmission to the platform, for the invoice page. */
export async function getInvoiceTransmission(deps: TenantDeps & { platform: InvoicePlatform | null }, input: TTransmissionInvoiceInput) {
  const invoice = await loadInvoice(deps, input.invoiceId);
  const row = await deps.tx.invoiceTransmission.findUnique({ where: { tenantId_invoiceId: { tenantId: deps.actor.tenantId, invoiceId: invoice.id } } });
  return {
    ...toTransmissionView(row, deps.platform !== null),
    /** Only an issued invoice to a business with its CII can be transmitted. */
    transmittable: invoice.status !== 'draft' && invoice.buyerKind === 'business' && invoice.documents.some((d) => d.kind === 'invoice_xml'),
  };
}
