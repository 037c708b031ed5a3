/**
 * The snapshot an issued invoice or credit note is rendered from: its PDF, its CII XML
 * (Factur-X EN 16931) and the JSON kept for ten years are all built from this one value and
 * nothing else, so the same snapshot always gives the same bytes. It is frozen in the issuing
 * transaction; later changes to the organisation, the client or the products never reach it.
 *
 * Amounts are integer cents of EUR; dates are calendar dates `YYYY-MM-DD`; rates are basis
 * points (2000 = 20 %).
 */
export interface InvoiceDocument {
  /** 380 commercial invoice, 381 credit note (EN 16931 BT-3). */
  typeCode: '380' | '381';
  number: string;
  issueDate: string;
  /** BT-9. A credit note that refunds nothing may have none. */
  dueDate: string | null;
  currency: 'EUR';
  /** B2B mentions (L441-9/10) appear only on `business` invoices; a consumer's never carry them. */
  buyerKind: 'consumer' | 'business';
  seller: InvoiceSeller;
  buyer: InvoiceBuyer;
  /** BT-73/74: the period invoiced (a schedule item's period), when there is one. */
  period: { start: string; end: string } | null;
  /** BT-72: the date the goods were delivered or the service done, when there is no period. */
  deliveryDate: string | null;
  /** BT-23 (French rule BR-FR-08): B1 goods, S1 services, M1 both. */
  operationCategory: 'goods' | 'services' | 'mixed';
  /** BT-12: the contract number, when the invoice comes from a contract. */
  contractNumber: string | null;
  /** BT-13: the buyer's purchase order reference, when given. */
  purchaseOrder: string | null;
  /** BT-25/26: the invoice a credit note corrects. */
  preceding: { number: string; issueDate: string } | null;
  lines: InvoiceDocumentLine[];
  /** One row per VAT category and rate (BG-23), in a stable order (rate descending, then category). */
  vatBreakdown: InvoiceVatRow[];
  totals: {
    /** BT-106 sum of line nets = BT-109 (no document-level allowances or charges). */
    netCents: number;
    /** BT-110. */
    vatCents: number;
    /** BT-112. */
    grossCents: number;
    /** BT-113 paid before issuance (e.g. a debit already settled). */
    prepaidCents: number;
    /** BT-115 = gross - prepaid. */
    dueCents: number;
  };
  payment: InvoicePayment;
  /**
   * Free-text notes with their UNTDID 4451 subject code (BG-1): for business buyers PMT (the 40 EUR
   * recovery indemnity), PMD (late-payment penalties), AAB (early-payment discount); for all, e.g.
   * AAI general information, TXD tax mentions (exemption, VAT on debits). Order is kept.
   */
  notes: { subjectCode: 'PMT' | 'PMD' | 'AAB' | 'AAI' | 'TXD' | 'REG'; text: string }[];
}

export interface InvoicePostalAddress {
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface InvoiceSeller {
  /** The legal name (BT-27), never doubled with its form ("SAS SAS"). */
  name: string;
  tradingName: string | null;
  /** "SAS", "SARL"... */
  legalForm: string | null;
  shareCapitalCents: number | null;
  /** BT-30 with scheme 0002. */
  siren: string | null;
  siret: string | null;
  /** "RCS Lyon": the city of the trade register. */
  rcsCity: string | null;
  /** BT-31, FR + key + SIREN. */
  vatNumber: string | null;
  address: InvoicePostalAddress;
  email: string | null;
  /** "Option pour le paiement de la taxe d'après les débits". */
  vatOnDebits: boolean;
}

export interface InvoiceBuyer {
  /** BT-44: the client's display name (a company's legal name, a person's civility and names). */
  name: string;
  /** BT-47 with scheme 0002 (business buyers). */
  siren: string | null;
  /** BT-48. */
  vatNumber: string | null;
  address: InvoicePostalAddress;
  email: string | null;
  /** The CRM's client reference, for the reader. */
  reference: string | null;
}

export interface InvoiceDocumentLine {
  /** BT-126, 1-based. */
  position: number;
  /** BT-153. */
  label: string;
  /** BT-129, whole units (C62). */
  quantity: number;
  /** BT-146 excl. VAT. */
  unitPriceCents: number;
  /** BT-131 = quantity × unit price. */
  netCents: number;
  /** BT-151: S standard, E exempt (with a reason), Z zero rated. */
  vatCategory: 'S' | 'E' | 'Z';
  vatRateBasisPoints: number;
  /** BT-134/135 when the line has its own period. */
  period: { start: string; end: string } | null;
}

export interface InvoiceVatRow {
  category: 'S' | 'E' | 'Z';
  rateBasisPoints: number;
  /** BT-116. */
  taxableCents: number;
  /** BT-117, rounded half-up on the row's taxable amount (not summed from lines). */
  vatCents: number;
  /** BT-120, required for E ("Exonération de TVA, article 261 C du CGI"). */
  exemptionReason: string | null;
}

export interface InvoicePayment {
  /** BT-81: 59 SEPA direct debit, 58 SEPA credit transfer, 48 card, 20 cheque. */
  meansCode: '59' | '58' | '48' | '20';
  /** BT-89 the mandate's RUM (direct debit). */
  mandateReference: string | null;
  /** BT-90 the creditor's ICS (direct debit). */
  creditorId: string | null;
  /** BT-91, masked for display ("FR76 •••• 0189"); the XML carries what the schedule was built with. */
  debtorIban: string | null;
  /** The date the debit will be collected (the pre-notification's date). */
  debitDate: string | null;
  /** BT-84/86 for a credit transfer: the seller's account. */
  creditorIban: string | null;
  creditorBic: string | null;
  /** BT-20: payment terms as text ("Prélèvement SEPA le 5 janvier 2027"). */
  terms: string;
}
