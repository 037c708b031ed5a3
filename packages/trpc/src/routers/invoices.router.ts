import {
  createCreditNote,
  createInvoiceDraft,
  deleteInvoiceDraft,
  draftInvoicesFromSchedule,
  getInvoice,
  getInvoiceSettings,
  issueInvoice,
  sendInvoiceByMail,
  listInvoices,
  updateInvoiceDraft,
  updateInvoiceSettings,
  ZCreateCreditNoteInput,
  ZCreateInvoiceDraftInput,
  ZDraftInvoicesFromScheduleInput,
  ZInvoiceIdInput,
  ZListInvoicesInput,
  ZUpdateInvoiceDraftInput,
  ZUpdateInvoiceSettingsInput,
} from '@crm/domain';
import type { TRPCRouterRecord } from '@trpc/server';
import { documentDeps } from '../document-deps.ts';
import { tenantProcedure } from '../procedures.ts';

export const invoicesRouter = {
  list: tenantProcedure.access('invoices.read').input(ZListInvoicesInput).query(({ ctx, input }) => listInvoices(ctx.deps, input)),
  get: tenantProcedure.access('invoices.read').input(ZInvoiceIdInput).query(({ ctx, input }) => getInvoice(ctx.deps, input)),
  createDraft: tenantProcedure.access('invoices.write').input(ZCreateInvoiceDraftInput).mutation(({ ctx, input }) => createInvoiceDraft(ctx.deps, input)),
  draftFromSchedule: tenantProcedure.access('invoices.write').input(ZDraftInvoicesFromScheduleInput).mutation(({ ctx, input }) => draftInvoicesFromSchedule(ctx.deps, input)),
  updateDraft: tenantProcedure.access('invoices.write').input(ZUpdateInvoiceDraftInput).mutation(({ ctx, input }) => updateInvoiceDraft(ctx.deps, input)),
  deleteDraft: tenantProcedure.access('invoices.write').input(ZInvoiceIdInput).mutation(({ ctx, input }) => deleteInvoiceDraft(ctx.deps, input)),
  // Number, snapshot and artefacts in one transaction; the files go to the document storage.
  issue: tenantProcedure.access('invoices.write').input(ZInvoiceIdInput).mutation(({ ctx, input }) => issueInvoice(documentDeps(ctx), input)),
  // The issued invoice (or credit note) mailed to its client again, its PDF attached.
  send: tenantProcedure.access('invoices.write').input(ZInvoiceIdInput).mutation(({ ctx, input }) => sendInvoiceByMail(ctx.deps, input)),
  createCreditNote: tenantProcedure.access('invoices.write').input(ZCreateCreditNoteInput).mutation(({ ctx, input }) => createCreditNote(documentDeps(ctx), input)),
  settings: tenantProcedure.access('invoices.read').query(({ ctx }) => getInvoiceSettings(ctx.deps)),
  updateSettings: tenantProcedure.access('invoices.settings').input(ZUpdateInvoiceSettingsInput).mutation(({ ctx, input }) => updateInvoiceSettings(ctx.deps, input)),
} satisfies TRPCRouterRecord;
