import type { Tx } from '@crm/db';
import type { TenantMailInput } from '../effects/tenant-effects.ts';
import type { EventEnvelope } from '../events/catalogue.ts';
import type { HandlerDeps } from '../events/handler-deps.ts';
import type { InvoiceDocument } from '../invoices/invoice-document.ts';
import { recordInvoiceNotice } from '../payments/pre-notification.ts';
import { renderTenantTemplate } from './render-template.ts';
import { commonValues, euros, frenchDate } from './mail-text.ts';

type InvoiceMail = Omit<TenantMailInput, 'idempotencyKey'>;

/**
 * The mail of an issued invoice or credit note, to its client, with its PDF (for a business, the
 * Factur-X PDF that carries its XML) attached. For a SEPA debit it says what will be debited,
 * when, from which account (masked), under which mandate and creditor identifier: issued the
 * notice days ahead of the debit, this mail is the debit's pre-notification. Everything it says
 * comes from the frozen snapshot, as the PDF does. Null for a draft or a client with no address.
 */
export async function invoiceMailOf(tx: Tx, tenantId: string, invoiceId: string): Promise<{ mail: InvoiceMail | null; issued: boolean; hasAddress: boolean; debitDate?: string | null } | null> {
  const invoice = await tx.invoice.findFirst({
    where: { id: invoiceId, tenantId },
    select: { id: true, kind: true, snapshot: true, client: { select: { id: true, email: true, kind: true, firstName: true, lastName: true, companyName: true } } },
  });
  if (!invoice) return null;
  if (!invoice.snapshot) return { mail: null, issued: false, hasAddress: Boolean(invoice.client.email) };
  if (!invoice.client.email) return { mail: null, issued: true, hasAddress: false };
  const doc = invoice.snapshot as unknown as InvoiceDocument;
  const pdf = await tx.document.findFirst({ where: { tenantId, invoiceId: invoice.id, kind: 'invoice_pdf' }, select: { id: true } });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, contactEmail: true } });
  const person = invoice.client.kind === 'person' ? [invoice.client.firstName, invoice.client.lastName].filter(Boolean).join(' ') : null;
  const creditNote = doc.typeCode === '381';
  const p = doc.payment;
  const payment = creditNote
    ? doc.preceding
      ? `Cet avoir porte sur la facture ${doc.preceding.number} du ${frenchDate(doc.preceding.issueDate)}.`
      : ''
    : p.meansCode === '59' && p.debitDate && doc.totals.dueCents > 0
      ? `Ce montant de ${euros(doc.totals.dueCents)} sera prélevé le ${frenchDate(p.debitDate)}${p.debtorIban ? ` sur votre compte ${p.debtorIban}` : ''}` +
        `${p.mandateReference ? `, au titre du mandat ${p.mandateReference}` : ''}${p.creditorId ? ` (identifiant créancier SEPA ${p.creditorId})` : ''}. ` +
        'Ce message vaut pré-notification du prélèvement : aucune démarche n’est nécessaire de votre part.'
      : doc.dueDate && doc.totals.dueCents > 0
        ? `Elle est à régler avant le ${frenchDate(doc.dueDate)} (${p.terms}).`
        : '';
  const rendered = await renderTenantTemplate(tx, tenantId, 'invoice.issued', {
    ...commonValues(organisation, { ...invoice.client, greetingName: person }, person),
    'document.titre': creditNote ? 'Votre avoir' : 'Votre facture',
    'document.nom': creditNote ? 'votre avoir' : 'votre facture',
    'facture.numero': doc.number,
    'facture.date': frenchDate(doc.issueDate),
    'facture.montant_ttc': euros(doc.totals.grossCents),
    'facture.periode': doc.period ? `, pour la période du ${frenchDate(doc.period.start)} au ${frenchDate(doc.period.end)}` : '',
    'facture.paiement': payment,
  });
  return {
    issued: true,
    hasAddress: true,
    /** The debit this mail pre-notifies, when it announces one. */
    debitDate: !creditNote && p.meansCode === '59' && p.debitDate && doc.totals.dueCents > 0 ? p.debitDate : null,
    mail: {
      recipient: invoice.client.email,
      clientId: invoice.client.id,
      template: creditNote ? 'credit_note.issued' : 'invoice.issued',
      attachmentDocumentIds: pdf ? [pdf.id] : [],
      ...rendered,
    },
  };
}

/** The email group on invoice.created: the issued invoice, once per event. */
export async function invoiceMail(tx: Tx, event: EventEnvelope<'invoice.created'>, deps: HandlerDeps): Promise<void> {
  const built = await invoiceMailOf(tx, event.tenantId, event.payload.invoiceId);
  if (!built?.mail) return;
  const idempotencyKey = `invoice.issued:${event.id}`;
  await deps.queueMail({ ...built.mail, idempotencyKey });
  // A mail that announced the debit is its pre-notification: recorded on the items it bills.
  if (built.debitDate) await recordInvoiceNotice(tx, event.tenantId, { invoiceId: event.payload.invoiceId, debitDate: built.debitDate, idempotencyKey, now: deps.now });
}
