import {
  exportAccountingJournal,
  exportAuditTrail,
  exportEReporting,
  getInvoiceTransmission,
  refreshInvoiceTransmissions,
  submitInvoiceToPlatform,
  ZExportPeriodInput,
  ZRefreshTransmissionsInput,
  ZTransmissionInvoiceInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

// E-invoicing beside the invoices router: the approved platform (PA) and the accountant's exports.
// Without a platform (no PA_URL) `submit` and `refreshStatuses` answer 400 "aucune plateforme configurée".
export const invoicingRouter = {
  transmission: tenantProcedure.access('invoices.read').input(ZTransmissionInvoiceInput).query(({ ctx, input }) => getInvoiceTransmission({ ...ctx.deps, platform: ctx.services.platform ?? null }, input)),
  submit: tenantProcedure.access('invoices.write').input(ZTransmissionInvoiceInput).mutation(({ ctx, input }) => submitInvoiceToPlatform({ ...documentDeps(ctx), platform: ctx.services.platform ?? null }, input)),
  refreshStatuses: tenantProcedure.access('invoices.write').input(ZRefreshTransmissionsInput).mutation(({ ctx, input }) => refreshInvoiceTransmissions({ ...ctx.deps, platform: ctx.services.platform ?? null }, input)),
  accountingJournal: tenantProcedure.access('accounting.read').input(ZExportPeriodInput).query(({ ctx, input }) => exportAccountingJournal(ctx.deps, input)),
  // Invoice -> contract -> mandate -> debits -> payments, with each snapshot's sha256 (the audit trail).
  auditTrail: tenantProcedure.access('accounting.read').input(ZExportPeriodInput).query(({ ctx, input }) => exportAuditTrail(ctx.deps, input)),
  eReporting: tenantProcedure.access('accounting.read').input(ZExportPeriodInput).query(({ ctx, input }) => exportEReporting(ctx.deps, input)),
} satisfies TRPCRouterRecord;
