import type { Tx } from '@crm/db';
import { maskIban } from '../shared/iban-mask.ts';
import { formatEur } from '../shared/money.ts';
import type { InvoiceDocument, InvoicePayment, InvoicePostalAddress } from './invoice-document.ts';
import { operationCategory, vatBreakdown } from './invoice-rules.ts';

/** Everything an invoice's snapshot is built from, read in the issuing transaction. */
export async function loadInvoiceFacts(tx: Tx, tenantId: string, invoiceId: string) {
  const invoice = await tx.invoice.findFirst({
    where: { id: invoiceId, tenantId },
    include: {
      lines: { orderBy: { position: 'asc' } },
      client: true,
      contract: { select: { number: true } },
      mandate: { select: { rum: true, iban: true } },
      creditedInvoice: { select: { number: true, issueDate: true } },
      // In the same query (one round trip under the series lock): the seller, and the debits billed.
      organisation: { include: { invoiceSeries: { select: { series: true, prefix: true, yearlyReset: true } } } },
      scheduleLinks: { select: { scheduleItem: { select: { status: true } } } },
    },
  });
  if (!invoice) return null;
  const { organisation, scheduleLinks, ...rest } = invoice;
  const itemStatuses = scheduleLinks.map((l) => l.scheduleItem.status as string);
  return { invoice: rest, organisation, itemStatuses, cancelledItems: itemStatuses.filter((s) => s === 'cancelled').length };
}
export type InvoiceFacts = NonNullable<Awaited<ReturnType<typeof loadInvoiceFacts>>>;

const day = (date: Date | null): string | null => (date ? date.toISOString().slice(0, 10) : null);

const FRENCH_DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const frenchDate = (iso: string) => FRENCH_DATE.format(new Date(`${iso}T00:00:00Z`));

const MEANS: Record<string, InvoicePayment['meansCode']> = { sepa_debit: '59', transfer: '58', card: '48', cheque: '20' };

export const FRANCHISE_MENTION = 'TVA non applicable, art. 293 B du CGI';
export const VAT_ON_DEBITS_MENTION = "Option pour le paiement de la taxe d'après les débits";
export const RECOVERY_INDEMNITY_MENTION = 'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du Code de commerce).';

function address(a: { addressLine1: string | null; addressLine2: string | null; postalCode: string | null; city: string | null; country: string }): InvoicePostalAddress {
  return { line1: a.addressLine1, line2: a.addressLine2, postalCode: a.postalCode, city: a.city, country: a.country };
}

/**
 * The snapshot of an invoice or credit note, from its facts alone (pure: same facts, same
 * value). B2B mentions (L441-9/10: recovery indemnity, late penalties, discount terms, VAT on
 * debits) are added only for a business buyer; a consumer's invoice never carries them.
 */
export function buildInvoiceDocument(facts: InvoiceFacts, issued: { number: string; issueDate: string; dueDate: string | null }): InvoiceDocument {
  const { invoice, organisation: o } = facts;
  const business = invoice.buyerKind === 'business';
  const creditNote = invoice.kind === 'credit_note';
  const lines = invoice.lines.map((line) => ({
    position: line.position,
    label: line.label,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
    netCents: line.netCents,
    vatCategory: line.vatCategory as 'S' | 'E' | 'Z',
    vatRateBasisPoints: line.vatRateBasisPoints,
    period: line.periodStart && line.periodEnd ? { start: day(line.periodStart)!, end: day(line.periodEnd)! } : null,
  }));
  const rows = vatBreakdown(invoice.lines.map((l) => ({ ...l, vatCategory: l.vatCategory as 'S' | 'E' | 'Z' })));
  const netCents = rows.reduce((sum, row) => sum + row.taxableCents, 0);
  const vatCents = rows.reduce((sum, row) => sum + row.vatCents, 0);
  const grossCents = netCents + vatCents;
  const prepaidCents = creditNote ? 0 : Math.min(invoice.paidCents, grossCents);

  const notes: InvoiceDocument['notes'] = [];
  if (creditNote && invoice.creditedInvoice?.number) {
    const preceding = `${invoice.creditedInvoice.number} du ${frenchDate(day(invoice.creditedInvoice.issueDate)!)}`;
    notes.push({ subjectCode: 'AAI', text: `Avoir sur la facture ${preceding}${invoice.reason ? ` : ${invoice.reason}` : ''}` });
  }
  if (o.vatRegime === 'franchise') notes.push({ subjectCode: 'TXD', text: FRANCHISE_MENTION });
  if (business) {
    notes.push({ subjectCode: 'PMT', text: RECOVERY_INDEMNITY_MENTION });
    if (o.latePenaltyRateText) notes.push({ subjectCode: 'PMD', text: `Pénalités de retard : ${o.latePenaltyRateText}.` });
    if (o.discountTerms) notes.push({ subjectCode: 'AAB', text: o.discountTerms });
    if (o.vatOnDebits) notes.push({ subjectCode: 'TXD', text: VAT_ON_DEBITS_MENTION });
  }

  const method = invoice.paymentMethod;
  const debitDate = day(invoice.debitDate);
  const due = grossCents - prepaidCents;
  let terms: string;
  if (creditNote) terms = 'Avoir à déduire de vos prochains règlements ou remboursé sur demande';
  else if (due === 0) terms = 'Facture acquittée';
  else if (method === 'sepa_debit') {
    terms = `Prélèvement SEPA de ${formatEur(due)}${debitDate ? ` le ${frenchDate(debitDate)}` : ''}`;
    if (invoice.mandate?.rum) terms += `, mandat ${invoice.mandate.rum}`;
    if (o.sepaCreditorId) terms += `, créancier ${o.sepaCreditorId}`;
  } else {
    const how = { transfer: 'Virement', card: 'Carte bancaire', cheque: 'Chèque' }[method];
    terms = `${how}${issued.dueDate ? ` au plus tard le ${frenchDate(issued.dueDate)}` : ''}`;
  }

  return {
    typeCode: creditNote ? '381' : '380',
    number: issued.number,
    issueDate: issued.issueDate,
    dueDate: issued.dueDate,
    currency: 'EUR',
    buyerKind: business ? 'business' : 'consumer',
    seller: {
      name: o.legalName ?? o.name,
      tradingName: o.legalName && o.legalName !== o.name ? o.name : null,
      legalForm: o.legalForm,
      shareCapitalCents: o.shareCapitalCents === null ? null : Number(o.shareCapitalCents),
      siren: o.siren,
      siret: o.siret,
      rcsCity: o.rcsCity ? `RCS ${o.rcsCity}` : null,
      vatNumber: o.vatNumber,
      address: address(o),
      email: o.contactEmail,
      vatOnDebits: o.vatOnDebits,
    },
    buyer: {
      name: invoice.client.displayName,
      siren: business ? invoice.client.siren : null,
      vatNumber: business ? invoice.client.vatNumber : null,
      address: address(invoice.client),
      email: invoice.client.email,
      reference: null,
    },
    period: invoice.periodStart && invoice.periodEnd ? { start: day(invoice.periodStart)!, end: day(invoice.periodEnd)! } : null,
    deliveryDate: invoice.periodStart ? null : (day(invoice.deliveryDate) ?? issued.issueDate),
    operationCategory: operationCategory(invoice.lines.map((l) => l.supplyKind)),
    contractNumber: invoice.contract?.number ?? null,
    purchaseOrder: invoice.purchaseOrder,
    preceding: creditNote && invoice.creditedInvoice?.number ? { number: invoice.creditedInvoice.number, issueDate: day(invoice.creditedInvoice.issueDate)! } : null,
    lines,
    vatBreakdown: rows,
    totals: { netCents, vatCents, grossCents, prepaidCents, dueCents: due },
    payment: {
      meansCode: MEANS[method] ?? '58',
      mandateReference: method === 'sepa_debit' ? (invoice.mandate?.rum ?? null) : null,
      creditorId: method === 'sepa_debit' ? o.sepaCreditorId : null,
      debtorIban: method === 'sepa_debit' && invoice.mandate?.iban ? maskIban(invoice.mandate.iban) : null,
      debitDate: method === 'sepa_debit' ? debitDate : null,
      creditorIban: method === 'transfer' ? o.creditorIban : null,
      creditorBic: method === 'transfer' ? o.creditorBic : null,
      terms,
    },
    notes,
  };
}
