import { createHash } from 'node:crypto';
import type { Prisma, Tx } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import type { DocumentStorage } from '../documents/document-storage.ts';
import { emitEvent } from '../events/emit-event.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { parisDay } from '../shared/paris-day.ts';
import type { InvoiceDocument } from './invoice-document.ts';
import { missingMentions } from './invoice-mentions.ts';
import { addDays, awaitsDebit, DEFAULT_PAYMENT_DAYS, settledStatus } from './invoice-rules.ts';
import { DEFAULT_SERIES, takeInvoiceNumber } from './invoice-series.ts';
import { buildInvoiceDocument, loadInvoiceFacts } from './invoice-snapshot.ts';
import { loadInvoice, toInvoiceView } from './invoice-view.ts';
import type { InvoiceSeriesName, TInvoiceIdInput } from './invoices.schema.ts';
import { storeInvoiceArtefacts } from './store-invoice-artefacts.ts';

/** Who issues and with what: a member through the API, or the timed job (`system:invoices`). */
export interface IssueContext {
  tx: Tx;
  tenantId: string;
  now: Date;
  storage: DocumentStorage;
  /** A user id, or `system:<job>`. */
  issuedBy: string;
  actorUserId: string | null;
  requestId?: string | null;
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/** The JSON kept with the invoice, whose sha256 is the snapshot's: the same bytes as its JSON artefact. */
export const snapshotBytes = (doc: InvoiceDocument): Uint8Array => new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);

/**
 * Issues a draft, all in the caller's transaction: the mentions are checked on the snapshot
 * about to be frozen (what is missing answers CONFLICT, listed by field); then the series'
 * counter row is locked and the next number taken, the snapshot frozen with its sha256, its
 * artefacts stored as documents, and `invoice.created` written to the outbox. A rollback
 * anywhere releases the number (no gap) and removes the stored bytes.
 */
export async function issueInvoiceIn(ctx: IssueContext, invoiceId: string) {
  const { tx, tenantId, now } = ctx;
  // The draft's row lock: two issuers of the same draft queue here, the second finds it issued.
  await tx.$queryRaw`SELECT id FROM invoices WHERE tenant_id = ${tenantId}::uuid AND id = ${invoiceId}::uuid FOR UPDATE`;
  const facts = await loadInvoiceFacts(tx, tenantId, invoiceId);
  if (!facts) throw notFound('Facture');
  const { invoice } = facts;
  if (invoice.status !== 'draft') throw conflict(invoice.number ? `La facture ${invoice.number} est déjà émise` : 'Cette facture est déjà émise');
  if (facts.cancelledItems > 0) throw conflict('Une échéance facturée par ce brouillon a été annulée : supprimez le brouillon, il sera refait sans elle');
  const issueDate = parisDay(now);
  const creditNote = invoice.kind === 'credit_note';
  const dueDate = creditNote
    ? null
    : (day(invoice.dueDate) ?? (invoice.paymentMethod === 'sepa_debit' && invoice.debitDate ? day(invoice.debitDate)! : addDays(issueDate, DEFAULT_PAYMENT_DAYS)));

  const draftDoc = buildInvoiceDocument(facts, { number: 'BROUILLON', issueDate, dueDate });
  const missing = missingMentions(draftDoc, { vatFranchise: facts.organisation.vatRegime === 'franchise' });
  if (missing.length > 0) {
    throw conflict(
      `Facture incomplète : ${missing.map((m) => m.message).join(', ')}. Complétez ces mentions obligatoires avant d’émettre.`,
      Object.fromEntries(missing.map((m) => [m.field, [m.message]])),
    );
  }

  const series = invoice.series as InvoiceSeriesName;
  const setting = facts.organisation.invoiceSeries.find((row) => row.series === series) ?? DEFAULT_SERIES[series];
  const number = await takeInvoiceNumber(tx, tenantId, series, issueDate, setting);
  const doc: InvoiceDocument = { ...draftDoc, number };
  const sha256 = createHash('sha256').update(snapshotBytes(doc)).digest('hex');
  const status = creditNote ? 'issued' : settledStatus({ grossCents: doc.totals.grossCents, paidCents: invoice.paidCents, creditedCents: 0, dueDate, awaitingDebit: awaitsDebit(invoice.paymentMethod, facts.itemStatuses) }, issueDate);
  // The statements that need no rendered byte are sent now and run in PostgreSQL while this
  // process renders the files (CPU): issuing costs about the rendering plus what is left over.
  // The transaction's statements still run one after the other, in this order.
  const recorded = Promise.all([
    tx.invoice.update({
      where: { tenantId_id: { tenantId, id: invoice.id } },
      data: {
        status,
        number,
        issueDate: new Date(`${issueDate}T00:00:00Z`),
        dueDate: dueDate ? new Date(`${dueDate}T00:00:00Z`) : null,
        netCents: doc.totals.netCents,
        vatCents: doc.totals.vatCents,
        grossCents: doc.totals.grossCents,
        snapshot: doc as unknown as Prisma.InputJsonValue,
        snapshotSha256: sha256,
        issuedAt: now,
        issuedBy: ctx.issuedBy,
        ...(status === 'paid' ? { paidAt: now } : {}),
      },
    }),
    creditNote
      ? emitEvent(tx, {
          type: 'credit_note.created',
          tenantId,
          payload: {
            creditNoteId: invoice.id,
            invoiceId: invoice.creditedInvoiceId!,
            clientId: invoice.clientId,
            number,
            invoiceNumber: doc.preceding?.number ?? '',
            totalCents: doc.totals.grossCents,
            issueDate,
          },
        })
      : emitEvent(tx, {
          type: 'invoice.created',
          tenantId,
          payload: { invoiceId: invoice.id, clientId: invoice.clientId, number, totalCents: doc.totals.grossCents, dueDate: dueDate! },
        }),
  ]);
  recorded.catch(() => undefined); // awaited below, first: its error is the one reported
  const { stored: documents, written } = await storeInvoiceArtefacts(
    { tx, tenantId, now, storage: ctx.storage, createdBy: ctx.actorUserId },
    invoice,
    doc,
  ).catch(async (error: unknown) => {
    await recorded; // a failed statement above aborted the transaction: report it, not its echo
    throw error;
  });
  await recorded;
  // The audit row is written while the files are synced: every file is on disk before the
  // transaction may commit.
  await Promise.all([
    recordAudit(tx, {
      tenantId,
      actorUserId: ctx.actorUserId,
      requestId: ctx.requestId ?? null,
      action: creditNote ? 'credit_note.issued' : 'invoice.issued',
      entityType: 'invoice',
      entityId: invoice.id,
      data: { number, grossCents: doc.totals.grossCents, sha256, issuedBy: ctx.issuedBy, documents },
    }),
    written,
  ]);
  return { id: invoice.id, number, sha256, doc };
}

/** `invoices.issue`: a member issues a draft. */
export async function issueInvoice(deps: DocumentDeps, input: TInvoiceIdInput) {
  const { tx, actor, now } = deps;
  await loadInvoice(deps, input.invoiceId); // NOT_FOUND through the member's scope first
  await issueInvoiceIn(
    { tx, tenantId: actor.tenantId, now, storage: deps.documents.storage, issuedBy: actor.userId, actorUserId: actor.userId, requestId: actor.requestId ?? null },
    input.invoiceId,
  );
  return toInvoiceView(await loadInvoice(deps, input.invoiceId));
}
