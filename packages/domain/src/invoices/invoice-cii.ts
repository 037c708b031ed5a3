import type { InvoiceDocument, InvoicePostalAddress } from './invoice-document.ts';
import { el, serializeXml, textEl, type XmlElement } from './xml-builder.ts';

/**
 * The UN/CEFACT Cross Industry Invoice (D16B) of an issued invoice or credit note, EN 16931 profile:
 * the `factur-x.xml` of a Factur-X file. Built from the snapshot alone, so the same snapshot gives
 * the same bytes. Element order follows the D16B XSD (sequence order is part of validity).
 */
export const EN16931_GUIDELINE_ID = 'urn:cen.eu:en16931:2017';

const NS = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/** BT-23 "cadre de facturation" (French rule BR-FR-08): B1 goods, S1 services, M1 both. */
export const BUSINESS_PROCESS: Record<InvoiceDocument['operationCategory'], string> = { goods: 'B1', services: 'S1', mixed: 'M1' };

/** Integer cents as a CII amount: "1234.50", "-3.05". */
export function ciiAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`amount is not whole cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Basis points as a percentage without trailing zeros: 2000 → "20", 550 → "5.5", 0 → "0". */
export function ciiPercent(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) throw new Error(`invalid rate: ${basisPoints}`);
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** `YYYY-MM-DD` as the CII date format 102 (`YYYYMMDD`). */
function date102(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid date: ${day}`);
  return day.replace(/-/g, '');
}

const udtDate = (name: string, day: string): XmlElement => el(name, null, textEl('udt:DateTimeString', date102(day), { format: '102' }));
const qdtDate = (name: string, day: string): XmlElement => el(name, null, textEl('qdt:DateTimeString', date102(day), { format: '102' }));

function period(name: string, value: { start: string; end: string } | null): XmlElement | null {
  return value ? el(name, null, udtDate('ram:StartDateTime', value.start), udtDate('ram:EndDateTime', value.end)) : null;
}

function address(value: InvoicePostalAddress): XmlElement {
  return el(
    'ram:PostalTradeAddress',
    null,
    value.postalCode && textEl('ram:PostcodeCode', value.postalCode),
    value.line1 && textEl('ram:LineOne', value.line1),
    value.line2 && textEl('ram:LineTwo', value.line2),
    value.city && textEl('ram:CityName', value.city),
    textEl('ram:CountryID', value.country),
  );
}

const email = (value: string | null): XmlElement | null =>
  value ? el('ram:URIUniversalCommunication', null, textEl('ram:URIID', value, { schemeID: 'EM' })) : null;

const vatRegistration = (value: string | null): XmlElement | null =>
  value ? el('ram:SpecifiedTaxRegistration', null, textEl('ram:ID', value, { schemeID: 'VA' })) : null;

function sellerParty(doc: InvoiceDocument): XmlElement {
  const { seller } = doc;
  const legal =
    seller.siren || seller.tradingName
      ? el(
          'ram:SpecifiedLegalOrganization',
          null,
          seller.siren && textEl('ram:ID', seller.siren, { schemeID: '0002' }),
          seller.tradingName && textEl('ram:TradingBusinessName', seller.tradingName),
        )
      : null;
  return el('ram:SellerTradeParty', null, textEl('ram:Name', seller.name), legal, address(seller.address), email(seller.email), vatRegistration(seller.vatNumber));
}

function buyerParty(doc: InvoiceDocument): XmlElement {
  const { buyer } = doc;
  return el(
    'ram:BuyerTradeParty',
    null,
    buyer.reference && textEl('ram:ID', buyer.reference),
    textEl('ram:Name', buyer.name),
    buyer.siren && el('ram:SpecifiedLegalOrganization', null, textEl('ram:ID', buyer.siren, { schemeID: '0002' })),
    address(buyer.address),
    email(buyer.email),
    vatRegistration(buyer.vatNumber),
  );
}

function lineItem(line: InvoiceDocument['lines'][number]): XmlElement {
  return el(
    'ram:IncludedSupplyChainTradeLineItem',
    null,
    el('ram:AssociatedDocumentLineDocument', null, textEl('ram:LineID', String(line.position))),
    el('ram:SpecifiedTradeProduct', null, textEl('ram:Name', line.label)),
    el('ram:SpecifiedLineTradeAgreement', null, el('ram:NetPriceProductTradePrice', null, textEl('ram:ChargeAmount', ciiAmount(line.unitPriceCents)))),
    el('ram:SpecifiedLineTradeDelivery', null, textEl('ram:BilledQuantity', String(line.quantity), { unitCode: 'C62' })),
    el(
      'ram:SpecifiedLineTradeSettlement',
      null,
      el(
        'ram:ApplicableTradeTax',
        null,
        textEl('ram:TypeCode', 'VAT'),
        textEl('ram:CategoryCode', line.vatCategory),
        textEl('ram:RateApplicablePercent', ciiPercent(line.vatRateBasisPoints)),
      ),
      period('ram:BillingSpecifiedPeriod', line.period),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', null, textEl('ram:LineTotalAmount', ciiAmount(line.netCents))),
    ),
  );
}

function paymentMeans(doc: InvoiceDocument): XmlElement {
  const { payment } = doc;
  const compact = (iban: string): string => iban.replace(/\s+/g, '');
  return el(
    'ram:SpecifiedTradeSettlementPaymentMeans',
    null,
    textEl('ram:TypeCode', payment.meansCode),
    // BT-91: the debited account (direct debit).
    payment.meansCode === '59' && payment.debtorIban && el('ram:PayerPartyDebtorFinancialAccount', null, textEl('ram:IBANID', compact(payment.debtorIban))),
    // BT-84/86: the seller's account (credit transfer).
    payment.creditorIban && el('ram:PayeePartyCreditorFinancialAccount', null, textEl('ram:IBANID', compact(payment.creditorIban))),
    payment.creditorBic && el('ram:PayeeSpecifiedCreditorFinancialInstitution', null, textEl('ram:BICID', payment.creditorBic)),
  );
}

function settlement(doc: InvoiceDocument): XmlElement {
  const { payment, totals } = doc;
  const directDebit = payment.meansCode === '59';
  return el(
    'ram:ApplicableHeaderTradeSettlement',
    null,
    // BT-90: the creditor's ICS.
    directDebit && payment.creditorId && textEl('ram:CreditorReferenceID', payment.creditorId),
    textEl('ram:InvoiceCurrencyCode', doc.currency),
    paymentMeans(doc),
    ...doc.vatBreakdown.map((row) =>
      el(
        'ram:ApplicableTradeTax',
        null,
        textEl('ram:CalculatedAmount', ciiAmount(row.vatCents)),
        textEl('ram:TypeCode', 'VAT'),
        row.exemptionReason && textEl('ram:ExemptionReason', row.exemptionReason),
        textEl('ram:BasisAmount', ciiAmount(row.taxableCents)),
        textEl('ram:CategoryCode', row.category),
        textEl('ram:RateApplicablePercent', ciiPercent(row.rateBasisPoints)),
      ),
    ),
    period('ram:BillingSpecifiedPeriod', doc.period),
    el(
      'ram:SpecifiedTradePaymentTerms',
      null,
      payment.terms && textEl('ram:Description', payment.terms),
      doc.dueDate && udtDate('ram:DueDateDateTime', doc.dueDate),
      // BT-89: the mandate's RUM.
      directDebit && payment.mandateReference && textEl('ram:DirectDebitMandateID', payment.mandateReference),
    ),
    el(
      'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
      null,
      textEl('ram:LineTotalAmount', ciiAmount(totals.netCents)),
      textEl('ram:TaxBasisTotalAmount', ciiAmount(totals.netCents)),
      textEl('ram:TaxTotalAmount', ciiAmount(totals.vatCents), { currencyID: doc.currency }),
      textEl('ram:GrandTotalAmount', ciiAmount(totals.grossCents)),
      textEl('ram:TotalPrepaidAmount', ciiAmount(totals.prepaidCents)),
      textEl('ram:DuePayableAmount', ciiAmount(totals.dueCents)),
    ),
    // BT-25/26: the invoice a credit note corrects.
    doc.preceding &&
      el(
        'ram:InvoiceReferencedDocument',
        null,
        textEl('ram:IssuerAssignedID', doc.preceding.number),
        qdtDate('ram:FormattedIssueDateTime', doc.preceding.issueDate),
      ),
  );
}

/** The CII XML (`factur-x.xml`) of the snapshot, EN 16931 profile. */
export function buildInvoiceCii(doc: InvoiceDocument): string {
  const root = el(
    'rsm:CrossIndustryInvoice',
    NS,
    el(
      'rsm:ExchangedDocumentContext',
      null,
      el('ram:BusinessProcessSpecifiedDocumentContextParameter', null, textEl('ram:ID', BUSINESS_PROCESS[doc.operationCategory])),
      el('ram:GuidelineSpecifiedDocumentContextParameter', null, textEl('ram:ID', EN16931_GUIDELINE_ID)),
    ),
    el(
      'rsm:ExchangedDocument',
      null,
      textEl('ram:ID', doc.number),
      textEl('ram:TypeCode', doc.typeCode),
      udtDate('ram:IssueDateTime', doc.issueDate),
      // BG-1, one note per subject (BR-FR-05: PMT, PMD, AAB on business invoices); order kept.
      ...doc.notes.map((note) => el('ram:IncludedNote', null, textEl('ram:Content', note.text), textEl('ram:SubjectCode', note.subjectCode))),
    ),
    el(
      'rsm:SupplyChainTradeTransaction',
      null,
      ...doc.lines.map(lineItem),
      el(
        'ram:ApplicableHeaderTradeAgreement',
        null,
        sellerParty(doc),
        buyerParty(doc),
        doc.purchaseOrder && el('ram:BuyerOrderReferencedDocument', null, textEl('ram:IssuerAssignedID', doc.purchaseOrder)),
        doc.contractNumber && el('ram:ContractReferencedDocument', null, textEl('ram:IssuerAssignedID', doc.contractNumber)),
      ),
      // Mandatory in the XSD even when empty; BT-72 when the snapshot has a delivery date.
      el(
        'ram:ApplicableHeaderTradeDelivery',
        null,
        doc.deliveryDate && el('ram:ActualDeliverySupplyChainEvent', null, udtDate('ram:OccurrenceDateTime', doc.deliveryDate)),
      ),
      settlement(doc),
    ),
  );
  return serializeXml(root);
}
