import type { InvoiceDocument, InvoiceDocumentLine, InvoiceSeller } from '../src/invoices/invoice-document.ts';
import { invoiceTotals } from '../src/invoices/invoice-rules.ts';

// Sample snapshots for the invoice renderers (PDF, CII, artefacts) and the render bench. The VAT
// breakdown and the totals come from the lines through the issuing side's own rules
// (invoiceTotals), so the samples are coherent by construction.

const EXEMPTION_261C = 'Exonération de TVA, article 261 C du CGI';

export const SAMPLE_SELLER: InvoiceSeller = {
  name: 'Assurances Rhône Conseil',
  tradingName: 'ARC Courtage',
  legalForm: 'SAS',
  shareCapitalCents: 5_000_000,
  siren: '732829320',
  siret: '73282932000074',
  rcsCity: 'RCS Lyon',
  vatNumber: 'FR44732829320',
  address: { line1: '12 rue de la République', line2: 'Bâtiment B', postalCode: '69002', city: 'Lyon', country: 'FR' },
  email: 'facturation@arc-courtage.fr',
  vatOnDebits: false,
};

type LineInput = Omit<InvoiceDocumentLine, 'position' | 'netCents'>;

/** A coherent snapshot: lines numbered, nets, VAT rows and totals computed. */
export function invoiceDocument(
  base: Omit<InvoiceDocument, 'lines' | 'vatBreakdown' | 'totals'> & { prepaidCents?: number },
  lineInputs: LineInput[],
  exemptionReason: string | null = EXEMPTION_261C,
): InvoiceDocument {
  const lines = lineInputs.map((line, index) => ({ ...line, position: index + 1, netCents: line.quantity * line.unitPriceCents }));
  const { rows: breakdown, netCents, vatCents } = invoiceTotals(
    lines.map((line) => ({ ...line, vatExemptionReason: line.vatCategory === 'E' ? exemptionReason : null })),
  );
  const prepaidCents = base.prepaidCents ?? 0;
  const { prepaidCents: _prepaid, ...rest } = base;
  return {
    ...rest,
    lines,
    vatBreakdown: breakdown,
    totals: { netCents, vatCents, grossCents: netCents + vatCents, prepaidCents, dueCents: netCents + vatCents - prepaidCents },
  };
}

const B2B_NOTES: InvoiceDocument['notes'] = [
  { subjectCode: 'PMT', text: "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L441-10 du Code de commerce)." },
  { subjectCode: 'PMD', text: "Pénalités de retard : taux directeur de la BCE majoré de 10 points, exigibles dès le lendemain de l'échéance." },
  { subjectCode: 'AAB', text: "Pas d'escompte pour paiement anticipé." },
];

/** B2C: a home-insurance premium (exempt, art. 261 C CGI) and a management fee at 20 %, by SEPA debit. */
export const B2C_INSURANCE: InvoiceDocument = invoiceDocument(
  {
    typeCode: '380',
    number: 'FC-2027-000042',
    issueDate: '2026-12-18',
    dueDate: '2027-01-05',
    currency: 'EUR',
    buyerKind: 'consumer',
    seller: SAMPLE_SELLER,
    buyer: {
      name: 'Mme Élodie Lefèvre-Dupré',
      siren: null,
      vatNumber: null,
      address: { line1: "3 allée des Chênes d'Or", line2: null, postalCode: '38000', city: 'Grenoble', country: 'FR' },
      email: 'elodie.lefevre@example.fr',
      reference: 'CLI-00017',
    },
    period: { start: '2027-01-01', end: '2027-01-31' },
    deliveryDate: null,
    operationCategory: 'services',
    contractNumber: 'CT-2026-0031',
    purchaseOrder: null,
    preceding: null,
    payment: {
      meansCode: '59',
      mandateReference: 'RUM-ARC-2026-0031',
      creditorId: 'FR72ZZZ123456',
      debtorIban: 'FR76 •••• 0189',
      debitDate: '2027-01-05',
      creditorIban: null,
      creditorBic: null,
      terms: 'Prélèvement SEPA le 5 janvier 2027',
    },
    notes: [{ subjectCode: 'TXD', text: `Prime d'assurance : ${EXEMPTION_261C}.` }],
  },
  [
    { label: 'Assurance habitation — prime mensuelle', quantity: 1, unitPriceCents: 3_690, vatCategory: 'E', vatRateBasisPoints: 0, period: null },
    { label: 'Frais de gestion du contrat', quantity: 1, unitPriceCents: 250, vatCategory: 'S', vatRateBasisPoints: 2000, period: null },
  ],
);

/** B2C: a monthly subscription at 20 %, by SEPA debit. */
export const B2C_STANDARD: InvoiceDocument = invoiceDocument(
  {
    typeCode: '380',
    number: 'FC-2027-000043',
    issueDate: '2026-12-18',
    dueDate: '2027-01-10',
    currency: 'EUR',
    buyerKind: 'consumer',
    seller: SAMPLE_SELLER,
    buyer: {
      name: 'M. Jean-Baptiste Moreau',
      siren: null,
      vatNumber: null,
      address: { line1: '45 boulevard Gambetta', line2: 'Appartement 12 & cave', postalCode: '75020', city: 'Paris', country: 'FR' },
      email: null,
      reference: 'CLI-00018',
    },
    period: { start: '2027-01-01', end: '2027-01-31' },
    deliveryDate: null,
    operationCategory: 'services',
    contractNumber: 'CT-2026-0032',
    purchaseOrder: null,
    preceding: null,
    payment: {
      meansCode: '59',
      mandateReference: 'RUM-ARC-2026-0032',
      creditorId: 'FR72ZZZ123456',
      debtorIban: 'FR76 •••• 4421',
      debitDate: '2027-01-10',
      creditorIban: null,
      creditorBic: null,
      terms: 'Prélèvement SEPA le 10 janvier 2027',
    },
    notes: [],
  },
  [{ label: 'Abonnement assistance « Sérénité »', quantity: 1, unitPriceCents: 1_999, vatCategory: 'S', vatRateBasisPoints: 2000, period: null }],
);

/** B2B: services at 20 % and books at 5,5 %, the B2B notes, VAT on debits, by SEPA debit. */
export const B2B_MIXED: InvoiceDocument = invoiceDocument(
  {
    typeCode: '380',
    number: 'FE-2027-000007',
    issueDate: '2026-12-15',
    dueDate: '2027-01-14',
    currency: 'EUR',
    buyerKind: 'business',
    seller: { ...SAMPLE_SELLER, vatOnDebits: true },
    buyer: {
      name: 'Boulangerie Martin & Fils SARL',
      siren: '552100554',
      vatNumber: 'FR61552100554',
      address: { line1: '8 place du Marché', line2: null, postalCode: '69100', city: 'Villeurbanne', country: 'FR' },
      email: 'compta@boulangerie-martin.fr',
      reference: 'CLI-00021',
    },
    period: { start: '2027-01-01', end: '2027-03-31' },
    deliveryDate: null,
    operationCategory: 'mixed',
    contractNumber: 'CT-2026-0040',
    purchaseOrder: 'BC-2026-118',
    preceding: null,
    payment: {
      meansCode: '59',
      mandateReference: 'RUM-ARC-2026-0040',
      creditorId: 'FR72ZZZ123456',
      debtorIban: 'FR76 •••• 7702',
      debitDate: '2027-01-14',
      creditorIban: null,
      creditorBic: null,
      terms: 'Prélèvement SEPA B2B le 14 janvier 2027, à 30 jours',
    },
    notes: [...B2B_NOTES, { subjectCode: 'TXD', text: "Option pour le paiement de la taxe d'après les débits." }],
  },
  [
    { label: 'Conseil en gestion des risques (forfait trimestriel)', quantity: 1, unitPriceCents: 45_000, vatCategory: 'S', vatRateBasisPoints: 2000, period: null },
    { label: 'Audit des contrats <flotte> — journée', quantity: 2, unitPriceCents: 62_550, vatCategory: 'S', vatRateBasisPoints: 2000, period: { start: '2027-01-01', end: '2027-01-31' } },
    { label: 'Guide « Prévention incendie » (livre)', quantity: 3, unitPriceCents: 2_833, vatCategory: 'S', vatRateBasisPoints: 550, period: null },
  ],
);

/** B2B credit note (381) correcting B2B_MIXED: one audit day refunded by credit transfer. */
export const B2B_CREDIT_NOTE: InvoiceDocument = invoiceDocument(
  {
    typeCode: '381',
    number: 'AV-2027-000002',
    issueDate: '2027-01-20',
    dueDate: '2027-02-19',
    currency: 'EUR',
    buyerKind: 'business',
    seller: { ...SAMPLE_SELLER, vatOnDebits: true },
    buyer: B2B_MIXED.buyer,
    period: null,
    deliveryDate: '2027-01-20',
    operationCategory: 'services',
    contractNumber: 'CT-2026-0040',
    purchaseOrder: null,
    preceding: { number: 'FE-2027-000007', issueDate: '2026-12-15' },
    payment: {
      meansCode: '58',
      mandateReference: null,
      creditorId: null,
      debtorIban: null,
      debitDate: null,
      creditorIban: 'FR7630006000011234567890189',
      creditorBic: 'AGRIFRPP',
      terms: 'Remboursement par virement sous 30 jours',
    },
    notes: B2B_NOTES,
  },
  [{ label: 'Avoir : audit des contrats — journée non réalisée', quantity: 1, unitPriceCents: 62_550, vatCategory: 'S', vatRateBasisPoints: 2000, period: null }],
);

export const SAMPLE_DOCUMENTS = { B2C_INSURANCE, B2C_STANDARD, B2B_MIXED, B2B_CREDIT_NOTE } as const;
