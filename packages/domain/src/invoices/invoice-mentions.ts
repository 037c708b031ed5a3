import type { InvoiceDocument } from './invoice-document.ts';

/** A mandatory mention that is missing: where it goes on the invoice, and what to fill in (French). */
export interface MissingMention {
  field: string;
  message: string;
}

/** Legal forms without share capital (a sole trader's). */
const NO_CAPITAL_FORMS = new Set(['EI', 'EIRL', 'ME', 'MICRO', 'AE']);

/**
 * What CGI annexe II art. 242 nonies A and C. com. L441-9 require on an invoice, checked on the
 * snapshot about to be frozen: seller identity (name, legal form, share capital, SIREN, RCS,
 * VAT number, address), buyer (name, address), dates or period, lines, VAT per rate, totals,
 * due date; and for a business buyer its SIREN or VAT number, the late-penalty rate, the 40 EUR
 * indemnity, the discount terms and the category of operation. Pure.
 */
export function missingMentions(doc: InvoiceDocument, options: { vatFranchise: boolean }): MissingMention[] {
  const missing: MissingMention[] = [];
  const need = (ok: unknown, field: string, message: string) => {
    if (!ok) missing.push({ field, message });
  };
  const { seller, buyer } = doc;
  need(seller.name.trim(), 'seller.name', 'Raison sociale du vendeur');
  need(seller.legalForm, 'seller.legalForm', 'Forme juridique du vendeur');
  need(seller.shareCapitalCents !== null || (seller.legalForm && NO_CAPITAL_FORMS.has(seller.legalForm.toUpperCase())), 'seller.shareCapital', 'Capital social du vendeur');
  need(seller.siren, 'seller.siren', 'SIREN du vendeur');
  need(seller.rcsCity, 'seller.rcsCity', 'Ville du RCS du vendeur');
  need(seller.vatNumber || options.vatFranchise, 'seller.vatNumber', 'Numéro de TVA intracommunautaire du vendeur');
  need(seller.address.line1 && seller.address.postalCode && seller.address.city, 'seller.address', 'Adresse du vendeur');
  need(buyer.name.trim(), 'buyer.name', "Nom de l'acheteur");
  need(buyer.address.line1 && buyer.address.postalCode && buyer.address.city, 'buyer.address', "Adresse de l'acheteur");
  need(doc.issueDate, 'issueDate', "Date d'émission");
  need(doc.period || doc.deliveryDate, 'period', 'Date ou période de la prestation ou de la livraison');
  need(doc.lines.length > 0, 'lines', 'Au moins une ligne');
  doc.lines.forEach((line, i) => need(line.label.trim() && line.quantity > 0, `lines.${i}`, `Ligne ${i + 1} : désignation et quantité`));
  need(doc.vatBreakdown.length > 0, 'vatBreakdown', 'TVA par taux');
  doc.vatBreakdown.forEach((row, i) => need(row.category !== 'E' || row.exemptionReason, `vatBreakdown.${i}`, "Mention de l'exonération de TVA"));
  need(doc.totals.grossCents === doc.totals.netCents + doc.totals.vatCents, 'totals', 'Totaux HT, TVA et TTC');
  if (doc.typeCode === '380') need(doc.dueDate, 'dueDate', "Date d'échéance");
  if (doc.typeCode === '381') need(doc.preceding, 'preceding', 'Numéro et date de la facture rectifiée');
  if (doc.typeCode === '380' && doc.payment.meansCode === '59' && doc.totals.dueCents > 0) {
    need(doc.payment.mandateReference, 'payment.mandateReference', 'Référence unique du mandat (RUM)');
    need(doc.payment.creditorId, 'payment.creditorId', 'Identifiant créancier SEPA (ICS)');
  }
  if (doc.buyerKind === 'business') {
    need(buyer.siren || buyer.vatNumber, 'buyer.siren', "SIREN de l'acheteur professionnel");
    const note = (code: string) => doc.notes.some((n) => n.subjectCode === code && n.text.trim());
    need(note('PMD'), 'notes.PMD', 'Taux des pénalités de retard');
    need(note('PMT'), 'notes.PMT', 'Indemnité forfaitaire de recouvrement de 40 €');
    need(note('AAB'), 'notes.AAB', "Conditions d'escompte (ou « pas d'escompte »)");
    need(doc.operationCategory, 'operationCategory', "Catégorie de l'opération (biens, services ou les deux)");
  }
  return missing;
}
