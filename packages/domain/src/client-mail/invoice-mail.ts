import type { Tx } from '@crm/db';
import type { EventEnvelope } from '../events/catalogue.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import type { InvoiceDocument } from '../invoices/invoice-document.ts';
import { euros, frenchDate, greeting, mailBodies, signature } from './mail-text.ts';

/**
 * The issued invoice, mailed to the client with its PDF (for a business, the Factur-X PDF that
 * carries its XML) attached. For a SEPA debit it says what will be debited, when, from which
 * account (masked), under which mandate and creditor identifier: issued the notice days ahead
 * of the debit, this mail is the debit's pre-notification. Everything it says comes from the
 * frozen snapshot, as the PDF does. A client without an e-mail address gets nothing here.
 */
export async function invoiceMail(tx: Tx, event: EventEnvelope<'invoice.created'>, deps: HandlerDeps): Promise<void> {
  const invoice = await tx.invoice.findFirst({
    where: { id: event.payload.invoiceId, tenantId: event.tenantId },
    select: { id: true, snapshot: true, client: { select: { id: true, email: true, kind: true, firstName: true, lastName: true } } },
  });
  if (!invoice?.snapshot || !invoice.client.email) return;
  const doc = invoice.snapshot as unknown as InvoiceDocument;
  const pdf = await tx.document.findFirst({ where: { tenantId: event.tenantId, invoiceId: invoice.id, kind: 'invoice_pdf' }, select: { id: true, fileName: true } });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: event.tenantId }, select: { name: true, contactEmail: true } });
  const person = invoice.client.kind === 'person' ? [invoice.client.firstName, invoice.client.lastName].filter(Boolean).join(' ') : null;
  const p = doc.payment;
  const debit =
    p.meansCode === '59' && p.debitDate && doc.totals.dueCents > 0
      ? `Ce montant de ${euros(doc.totals.dueCents)} sera prélevé le ${frenchDate(p.debitDate)}${p.debtorIban ? ` sur votre compte ${p.debtorIban}` : ''}` +
        `${p.mandateReference ? `, au titre du mandat ${p.mandateReference}` : ''}${p.creditorId ? ` (identifiant créancier SEPA ${p.creditorId})` : ''}. ` +
        'Ce message vaut pré-notification du prélèvement : aucune démarche n’est nécessaire de votre part.'
      : doc.dueDate && doc.totals.dueCents > 0
        ? `Elle est à régler avant le ${frenchDate(doc.dueDate)} (${p.terms}).`
        : '';
  await deps.queueMail({
    recipient: invoice.client.email,
    clientId: invoice.client.id,
    template: 'invoice.issued',
    subject: `Votre facture ${doc.number}`,
    idempotencyKey: `invoice.issued:${event.id}`,
    attachmentDocumentIds: pdf ? [pdf.id] : [],
    ...mailBodies([
      greeting(person),
      `Veuillez trouver ci-joint votre facture ${doc.number} du ${frenchDate(doc.issueDate)}, d’un montant de ${euros(doc.totals.grossCents)} TTC` +
        `${doc.period ? `, pour la période du ${frenchDate(doc.period.start)} au ${frenchDate(doc.period.end)}` : ''}.`,
      debit,
      'Bien cordialement,',
      signature(organisation),
    ]),
  });
}
