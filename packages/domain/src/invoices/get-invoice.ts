import type { TenantDeps } from '../shared/context.ts';
import { loadInvoice, toInvoiceView } from './invoice-view.ts';
import type { TInvoiceIdInput } from './invoices.schema.ts';

/** One invoice or credit note with its lines, credit notes and kept artefacts. */
export async function getInvoice(deps: TenantDeps, input: TInvoiceIdInput) {
  return toInvoiceView(await loadInvoice(deps, input.invoiceId));
}
