import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import { NO_DOCUMENT_STORAGE } from '../events/handler-deps.ts';
import { defineJobKind } from '../jobs/job-kind.ts';
import { DomainError } from '../shared/errors.ts';
import { draftInvoicesFromScheduleIn } from './draft-invoices-from-schedule.ts';
import { addDays } from './invoice-rules.ts';
import { issueInvoiceIn } from './issue-invoice.ts';

/**
 * Daily per organisation: when it issues automatically, every schedule item due within its
 * notice days gets its invoice drafted and issued, so the invoice, sent at least that many days
 * before the debit, is the SEPA pre-notification (amount, date, RUM and ICS are on it). An
 * invoice whose mentions are missing stays a draft and is listed in the job's result (the
 * organisation completes its settings); past-due issued invoices become overdue.
 */
export const ISSUE_DUE_INVOICES_JOB = defineJobKind({
  kind: 'invoices.issue_due',
  label: 'Factures des échéances émises avant le prélèvement (pré-notification)',
  payload: z.strictObject({}),
  recurring: { key: 'daily', rule: 'daily 06:00', payload: {} },
  async run({ tx, tenantId, now, today, storage }) {
    const overdue = await tx.invoice.updateMany({
      where: {
        tenantId,
        kind: 'invoice',
        status: 'issued',
        dueDate: { lt: new Date(`${today}T00:00:00Z`) },
        // A debit under way is not late (settledStatus): only one paid otherwise, or rejected.
        OR: [{ paymentMethod: { not: 'sepa_debit' } }, { scheduleLinks: { some: { scheduleItem: { status: 'rejected' } } } }],
      },
      data: { status: 'overdue' },
    });
    const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { invoiceAutoIssue: true, invoiceNoticeDays: true } });
    if (!organisation.invoiceAutoIssue) return { overdue: overdue.count, drafted: 0, issued: 0, incomplete: [] };
    const drafted = await draftInvoicesFromScheduleIn({ tx, tenantId, now, createdBy: null }, addDays(today, organisation.invoiceNoticeDays));
    const drafts = await tx.invoice.findMany({
      where: { tenantId, kind: 'invoice', status: 'draft', scheduleLinks: { some: {} }, dueDate: { lte: new Date(`${addDays(today, organisation.invoiceNoticeDays)}T00:00:00Z`) } },
      select: { id: true },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
      take: 500,
    });
    let issued = 0;
    const incomplete: { invoiceId: string; missing: string[] }[] = [];
    for (const draft of drafts) {
      // A draft with missing mentions is refused before anything is written: the others go on.
      try {
        await issueInvoiceIn({ tx, tenantId, now, storage: storage ?? NO_DOCUMENT_STORAGE, issuedBy: 'system:invoices.issue_due', actorUserId: null }, draft.id);
        issued++;
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'CONFLICT') throw error;
        incomplete.push({ invoiceId: draft.id, missing: Object.keys(error.fieldErrors ?? {}) });
      }
    }
    if (issued > 0 || incomplete.length > 0) {
      await recordAudit(tx, { tenantId, actorUserId: null, action: 'invoice.issued_due', entityType: 'invoice', data: { drafted: drafted.length, issued, incomplete: incomplete.length } });
    }
    return { overdue: overdue.count, drafted: drafted.length, issued, incomplete };
  },
});
