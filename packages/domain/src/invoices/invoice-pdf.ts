import fontkit from '@pdf-lib/fontkit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { InvoiceDocument, InvoicePostalAddress } from './invoice-document.ts';
import { applyPdfa, attachAssociatedXml } from './pdfa.ts';

/**
 * The PDF of an issued invoice or credit note, in French, from the snapshot alone: same snapshot,
 * same bytes (dates from the snapshot, fixed IDs, no clock). Always PDF/A-3b with embedded
 * DejaVu fonts (PDF/A forbids the standard 14); given the CII XML, it becomes a Factur-X
 * EN 16931 file with `factur-x.xml` attached. The layout shows the mentions of CGI art. 242
 * nonies A and, for business buyers only, those of Code de commerce L441-9/10.
 */
export const FACTURX_FILE_NAME = 'factur-x.xml';
export const INVOICE_PDF_PRODUCER = 'CRM invoices (pdf-lib)';

const require = createRequire(import.meta.url);
let fontBytes: { regular: Uint8Array; bold: Uint8Array } | null = null;

// DejaVu Sans (Bitstream Vera licence: embedding allowed), read once per process.
function fonts(): { regular: Uint8Array; bold: Uint8Array } {
  fontBytes ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fontBytes;
}

// pdf-lib parses the font file on every embedFont; the parsed font is reused across documents
// instead (each document still makes its own subset), which takes most of the render time away.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
const parsedFonts = new Map<Uint8Array, ReturnType<Fontkit['create']>>();
const cachedFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    let font = parsedFonts.get(buffer);
    if (!font) {
      font = fontkit.create(buffer, postscriptName);
      parsedFonts.set(buffer, font);
    }
    return font;
  },
};

const NO_SHAPING = { kern: false, liga: false, clig: false, calt: false, ccmp: false, locl: false, mark: false, mkmk: false, rlig: false };

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const NBSP = '\u00a0';

/** 1 234,56 € (own formatting: Intl's output may change with the ICU of a Node release). */
export function frenchEur(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}${NBSP}€`;
}

const frenchDate = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const frenchLongDate = (day: string): string => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
const frenchRate = (basisPoints: number): string => `${String(basisPoints / 100).replace('.', ',')}${NBSP}%`;
const groupSiren = (siren: string): string => siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');

const OPERATION_CATEGORY: Record<InvoiceDocument['operationCategory'], string> = {
  goods: 'livraison de biens',
  services: 'prestation de services',
  mixed: 'livraison de biens et prestation de services',
};
const PAYMENT_MEANS: Record<InvoiceDocument['payment']['meansCode'], string> = {
  '59': 'Prélèvement SEPA',
  '58': 'Virement SEPA',
  '48': 'Carte bancaire',
  '20': 'Chèque',
};
const B2B_SUBJECTS = new Set(['PMT', 'PMD', 'AAB']);

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 42;
const FOOTER_TOP = 62;
const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.38, 0.4, 0.44);
const RULE = rgb(0.78, 0.8, 0.84);
const BAND = rgb(0.93, 0.94, 0.96);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

// Advance widths per character at size 1, per weight, kept across documents. With shaping off a
// glyph per character and no kerning, a string's width is the sum of its characters' widths; this
// spares a fontkit layout per measure (wrapping measures every word).
const CHAR_WIDTHS = { regular: new Map<string, number>(), bold: new Map<string, number>() };

function widthOf(fonts: Fonts, text: string, size: number, bold: boolean): number {
  const cache = bold ? CHAR_WIDTHS.bold : CHAR_WIDTHS.regular;
  let width = 0;
  for (const char of text) {
    let advance = cache.get(char);
    if (advance === undefined) {
      advance = (bold ? fonts.bold : fonts.regular).widthOfTextAtSize(char, 1);
      cache.set(char, advance);
    }
    width += advance;
  }
  return width * size;
}

/** A top-down writer over pages: a cursor, wrapping, and a new page when the next block will not fit. */
export class Layout {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < FOOTER_TOP + 10) this.newPage();
  }

  text(value: string, x: number, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; y?: number } = {}): void {
    this.page.drawText(value, {
      x,
      y: options.y ?? this.y,
      size: options.size ?? 9,
      font: options.bold ? this.fonts.bold : this.fonts.regular,
      color: options.color ?? INK,
    });
  }

  textRight(value: string, right: number, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; y?: number } = {}): void {
    this.text(value, right - widthOf(this.fonts, value, options.size ?? 9, options.bold ?? false), options);
  }

  wrap(value: string, width: number, size = 9, bold = false): string[] {
    const lines: string[] = [];
    for (const paragraph of value.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && widthOf(this.fonts, candidate, size, bold) > width) {
          lines.push(line);
          line = word;
        } else {
          line = candidate;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** A wrapped paragraph at the cursor, moving it down. */
  paragraph(value: string, x: number, width: number, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb> } = {}): void {
    const size = options.size ?? 9;
    for (const line of this.wrap(value, width, size, options.bold)) {
      this.ensure(size + 3);
      this.text(line, x, { ...options, size });
      this.y -= size + 3;
    }
  }

  rule(color = RULE): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.6, color });
  }

  band(height: number): void {
    this.page.drawRectangle({ x: MARGIN, y: this.y - height + 9, width: A4.width - 2 * MARGIN, height, color: BAND });
  }
}

const addressLines = (address: InvoicePostalAddress): string[] =>
  [address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(' '), address.country === 'FR' ? null : address.country].filter(
    (line): line is string => Boolean(line),
  );

/** The seller's identity as the law lists it (legal form, capital, RCS, SIREN, VAT number). */
export function sellerLegalLine(doc: InvoiceDocument): string {
  const { seller } = doc;
  const parts = [
    [seller.name, seller.legalForm && !seller.name.endsWith(` ${seller.legalForm}`) ? seller.legalForm : null].filter(Boolean).join(' '),
    seller.shareCapitalCents !== null ? `au capital de ${frenchEur(seller.shareCapitalCents)}` : null,
  ].filter(Boolean);
  const ids = [
    seller.rcsCity && seller.siren ? `${seller.rcsCity} ${groupSiren(seller.siren)}` : seller.siren ? `SIREN ${groupSiren(seller.siren)}` : null,
    seller.siret ? `SIRET ${seller.siret}` : null,
    seller.vatNumber ? `TVA intracommunautaire ${seller.vatNumber}` : null,
  ].filter(Boolean);
  return [parts.join(' '), ...ids].join(' · ');
}

function header(layout: Layout, doc: InvoiceDocument): void {
  const { seller, buyer } = doc;
  const credit = doc.typeCode === '381';
  const top = layout.y;
  const right = A4.width - MARGIN;

  // Seller, top left.
  layout.text(seller.name, MARGIN, { size: 13, bold: true });
  layout.y -= 16;
  if (seller.tradingName) {
    layout.text(seller.tradingName, MARGIN, { color: MUTED });
    layout.y -= 12;
  }
  for (const line of addressLines(seller.address)) {
    layout.text(line, MARGIN);
    layout.y -= 12;
  }
  if (seller.siren) {
    layout.text(`SIREN ${groupSiren(seller.siren)}${seller.siret ? ` · SIRET ${seller.siret}` : ''}`, MARGIN, { size: 8, color: MUTED });
    layout.y -= 11;
  }
  if (seller.vatNumber) {
    layout.text(`N° TVA ${seller.vatNumber}`, MARGIN, { size: 8, color: MUTED });
    layout.y -= 11;
  }
  if (seller.email) {
    layout.text(seller.email, MARGIN, { size: 8, color: MUTED });
    layout.y -= 11;
  }
  const sellerBottom = layout.y;

  // Title and references, top right.
  let y = top;
  layout.textRight(credit ? 'AVOIR' : 'FACTURE', right, { size: 18, bold: true, y: y - 4 });
  y -= 24;
  const facts: [string, string][] = [
    [credit ? 'Avoir n°' : 'Facture n°', doc.number],
    ["Date d'émission", frenchDate(doc.issueDate)],
  ];
  if (doc.dueDate) facts.push(["Date d'échéance", frenchDate(doc.dueDate)]);
  if (doc.preceding) facts.push(["Facture d'origine", doc.preceding.number], ['Date de la facture', frenchDate(doc.preceding.issueDate)]);
  for (const [label, value] of facts) {
    layout.textRight(value, right, { bold: true, y });
    layout.text(label, right - 230, { color: MUTED, y });
    y -= 13;
  }

  // Buyer, right column below the title.
  y -= 10;
  const buyerX = right - 230;
  layout.text(credit ? 'Avoir adressé à' : 'Facturé à', buyerX, { size: 8, color: MUTED, y });
  y -= 13;
  layout.text(buyer.name, buyerX, { bold: true, y, size: 10 });
  y -= 13;
  for (const line of addressLines(buyer.address)) {
    layout.text(line, buyerX, { y });
    y -= 12;
  }
  const buyerIds = [
    buyer.reference ? `Réf. client ${buyer.reference}` : null,
    doc.buyerKind === 'business' && buyer.siren ? `SIREN ${groupSiren(buyer.siren)}` : null,
    doc.buyerKind === 'business' && buyer.vatNumber ? `N° TVA ${buyer.vatNumber}` : null,
  ].filter((part): part is string => Boolean(part));
  for (const line of buyerIds) {
    layout.text(line, buyerX, { size: 8, color: MUTED, y });
    y -= 11;
  }
  layout.y = Math.min(y, sellerBottom) - 10;

  if (doc.preceding) {
    layout.paragraph(
      `Avoir se rapportant à la facture n° ${doc.preceding.number} du ${frenchDate(doc.preceding.issueDate)}.`,
      MARGIN,
      A4.width - 2 * MARGIN,
      { bold: true },
    );
    layout.y -= 4;
  }

  const references = [
    doc.period ? `Période facturée : du ${frenchDate(doc.period.start)} au ${frenchDate(doc.period.end)}` : null,
    doc.deliveryDate ? `Date de réalisation : ${frenchDate(doc.deliveryDate)}` : null,
    doc.contractNumber ? `Contrat n° ${doc.contractNumber}` : null,
    doc.purchaseOrder ? `Bon de commande n° ${doc.purchaseOrder}` : null,
  ].filter((part): part is string => Boolean(part));
  if (references.length > 0) {
    layout.paragraph(references.join('   ·   '), MARGIN, A4.width - 2 * MARGIN);
    layout.y -= 6;
  }
}

const COLUMNS = { label: MARGIN + 6, quantity: 370, unit: 440, rate: 485, total: A4.width - MARGIN - 6 };

function linesTable(layout: Layout, doc: InvoiceDocument): void {
  const headerRow = (): void => {
    layout.ensure(40);
    layout.band(16);
    layout.text('Désignation', COLUMNS.label, { bold: true, size: 8 });
    layout.textRight('Qté', COLUMNS.quantity, { bold: true, size: 8 });
    layout.textRight('P.U. HT', COLUMNS.unit, { bold: true, size: 8 });
    layout.textRight('TVA', COLUMNS.rate, { bold: true, size: 8 });
    layout.textRight('Total HT', COLUMNS.total, { bold: true, size: 8 });
    layout.y -= 17;
  };
  headerRow();
  for (const line of doc.lines) {
    const label = layout.wrap(line.label, COLUMNS.quantity - COLUMNS.label - 40);
    const extra = line.period ? 1 : 0;
    if (layout.y - (label.length + extra) * 12 < FOOTER_TOP + 10) {
      layout.newPage();
      headerRow();
    }
    layout.textRight(String(line.quantity), COLUMNS.quantity);
    layout.textRight(frenchEur(line.unitPriceCents), COLUMNS.unit);
    layout.textRight(line.vatCategory === 'S' ? frenchRate(line.vatRateBasisPoints) : line.vatCategory === 'E' ? 'Exonéré' : frenchRate(0), COLUMNS.rate);
    layout.textRight(frenchEur(line.netCents), COLUMNS.total);
    for (const text of label) {
      layout.text(text, COLUMNS.label);
      layout.y -= 12;
    }
    if (line.period) {
      layout.text(`du ${frenchDate(line.period.start)} au ${frenchDate(line.period.end)}`, COLUMNS.label, { size: 8, color: MUTED });
      layout.y -= 12;
    }
    layout.y += 3;
    layout.rule();
    layout.y -= 12;
  }
}

function vatAndTotals(layout: Layout, doc: InvoiceDocument): void {
  const rows = doc.vatBreakdown.length + 1;
  layout.ensure(Math.max(rows * 13 + 30, 90));
  const top = layout.y - 6;

  // VAT per rate, left.
  let y = top;
  layout.text('TVA', MARGIN, { bold: true, size: 8, y });
  layout.textRight('Base HT', 200, { bold: true, size: 8, y });
  layout.textRight('Montant TVA', 280, { bold: true, size: 8, y });
  y -= 13;
  for (const row of doc.vatBreakdown) {
    const label = row.category === 'E' ? 'Exonéré' : row.category === 'Z' ? `${frenchRate(0)} (taux zéro)` : frenchRate(row.rateBasisPoints);
    layout.text(label, MARGIN, { y });
    layout.textRight(frenchEur(row.taxableCents), 200, { y });
    layout.textRight(frenchEur(row.vatCents), 280, { y });
    y -= 13;
  }
  const exemptions = doc.vatBreakdown.map((row) => row.exemptionReason).filter((reason): reason is string => Boolean(reason));
  const leftBottom = y;

  // Totals, right.
  const credit = doc.typeCode === '381';
  const labelX = 360;
  const right = A4.width - MARGIN;
  y = top;
  const totals: [string, string, boolean][] = [
    ['Total HT', frenchEur(doc.totals.netCents), false],
    ['Total TVA', frenchEur(doc.totals.vatCents), false],
    ['Total TTC', frenchEur(doc.totals.grossCents), true],
  ];
  if (doc.totals.prepaidCents !== 0) totals.push(['Déjà réglé', frenchEur(doc.totals.prepaidCents), false]);
  totals.push([credit ? "Montant de l'avoir" : 'Net à payer', frenchEur(doc.totals.dueCents), true]);
  for (const [label, value, strong] of totals) {
    layout.text(label, labelX, { y, bold: strong });
    layout.textRight(value, right, { y, bold: strong });
    y -= 14;
  }
  layout.y = Math.min(leftBottom, y) - 4;
  for (const reason of exemptions) layout.paragraph(reason.endsWith('.') ? reason : `${reason}.`, MARGIN, 300, { size: 8 });
  layout.y -= 8;
}

function payment(layout: Layout, doc: InvoiceDocument): void {
  const { payment: pay } = doc;
  const width = A4.width - 2 * MARGIN;
  layout.ensure(70);
  layout.rule();
  layout.y -= 14;
  layout.text(`Paiement : ${PAYMENT_MEANS[pay.meansCode]}`, MARGIN, { bold: true, size: 10 });
  layout.y -= 14;
  if (pay.terms) layout.paragraph(pay.terms, MARGIN, width);
  if (doc.dueDate && doc.typeCode === '380') layout.paragraph(`Échéance : ${frenchLongDate(doc.dueDate)}`, MARGIN, width);
  if (pay.meansCode === '59') {
    const facts = [
      pay.mandateReference ? `Référence unique du mandat (RUM) : ${pay.mandateReference}` : null,
      pay.creditorId ? `Identifiant créancier SEPA (ICS) : ${pay.creditorId}` : null,
      pay.debtorIban ? `Compte débité : ${pay.debtorIban}` : null,
      pay.debitDate ? `Date de prélèvement : ${frenchLongDate(pay.debitDate)}` : null,
      `Montant prélevé : ${frenchEur(doc.totals.dueCents)}`,
    ].filter((fact): fact is string => Boolean(fact));
    for (const fact of facts) layout.paragraph(fact, MARGIN, width);
    if (pay.debitDate) {
      const mandate = pay.mandateReference ? ` au titre du mandat ${pay.mandateReference}` : '';
      layout.paragraph(
        `Cette facture vaut pré-notification : le montant de ${frenchEur(doc.totals.dueCents)} sera prélevé le ${frenchLongDate(pay.debitDate)}${mandate}.`,
        MARGIN,
        width,
        { size: 8, color: MUTED },
      );
    }
  } else if (pay.creditorIban) {
    layout.paragraph(`IBAN : ${pay.creditorIban}${pay.creditorBic ? ` · BIC : ${pay.creditorBic}` : ''}`, MARGIN, width);
  }
  layout.y -= 8;
}

function mentions(layout: Layout, doc: InvoiceDocument): void {
  const business = doc.buyerKind === 'business';
  // A consumer's invoice never carries the B2B mentions (L441-9/10), whatever the notes hold.
  const notes = doc.notes.filter((note) => business || !B2B_SUBJECTS.has(note.subjectCode)).map((note) => note.text);
  if (business) {
    notes.push(`Catégorie de l'opération : ${OPERATION_CATEGORY[doc.operationCategory]}.`);
    const onDebits = "Option pour le paiement de la taxe d'après les débits";
    if (doc.seller.vatOnDebits && !notes.some((text) => text.includes(onDebits))) notes.push(`${onDebits}.`);
  }
  if (notes.length === 0) return;
  const width = A4.width - 2 * MARGIN;
  layout.ensure(40);
  layout.text('Mentions', MARGIN, { bold: true, size: 9 });
  layout.y -= 13;
  for (const text of notes) layout.paragraph(text, MARGIN, width, { size: 8 });
}

function footers(layout: Layout, doc: InvoiceDocument): void {
  const legal = sellerLegalLine(doc);
  const width = A4.width - 2 * MARGIN;
  layout.pages.forEach((page, index) => {
    layout.page = page;
    page.drawLine({ start: { x: MARGIN, y: FOOTER_TOP }, end: { x: A4.width - MARGIN, y: FOOTER_TOP }, thickness: 0.6, color: RULE });
    let y = FOOTER_TOP - 11;
    for (const line of layout.wrap(legal, width - 60, 7)) {
      layout.text(line, MARGIN, { size: 7, color: MUTED, y });
      y -= 9;
    }
    layout.textRight(`${doc.number} · page ${index + 1}/${layout.pages.length}`, A4.width - MARGIN, { size: 7, color: MUTED, y: 24 });
  });
}

/** A fixed 128-bit ID for the trailer and XMP: a hash of the snapshot, so a new snapshot gets a new ID. */
export function invoiceDocumentId(doc: InvoiceDocument): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32);
}

export interface RenderInvoicePdfOptions {
  /** The CII of the same snapshot: attached as `factur-x.xml`, making the PDF a Factur-X EN 16931. */
  ciiXml?: string;
}

/**
 * A PDF with the invoices' fonts (DejaVu subsets, shaping off) and a page writer, for the other
 * French documents the application renders (commission statements): same look, same fonts.
 */
export async function frenchPdf(): Promise<{ pdf: PDFDocument; layout: Layout }> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(cachedFontkit);
  const bytes = fonts();
  const embedded: Fonts = {
    regular: await pdf.embedFont(bytes.regular, { subset: true, customName: 'CRMAAA+DejaVuSans', features: NO_SHAPING }),
    bold: await pdf.embedFont(bytes.bold, { subset: true, customName: 'CRMAAB+DejaVuSans-Bold', features: NO_SHAPING }),
  };
  return { pdf, layout: new Layout(pdf, embedded) };
}

export async function renderInvoicePdf(doc: InvoiceDocument, options: RenderInvoicePdfOptions = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(cachedFontkit);
  const bytes = fonts();
  // Subset tags fixed by name: pdf-lib would otherwise add a generated suffix. OpenType shaping
  // off (kerning, ligatures): Latin text needs none, and it was most of the render time.
  const embedded: Fonts = {
    regular: await pdf.embedFont(bytes.regular, { subset: true, customName: 'CRMAAA+DejaVuSans', features: NO_SHAPING }),
    bold: await pdf.embedFont(bytes.bold, { subset: true, customName: 'CRMAAB+DejaVuSans-Bold', features: NO_SHAPING }),
  };
  const layout = new Layout(pdf, embedded);
  header(layout, doc);
  linesTable(layout, doc);
  vatAndTotals(layout, doc);
  payment(layout, doc);
  mentions(layout, doc);
  footers(layout, doc);

  const credit = doc.typeCode === '381';
  const title = `${credit ? 'Avoir' : 'Facture'} ${doc.number}`;
  applyPdfa(pdf, {
    title,
    author: doc.seller.name,
    subject: `${title} du ${frenchDate(doc.issueDate)} : ${doc.buyer.name}`,
    creator: doc.seller.name,
    producer: INVOICE_PDF_PRODUCER,
    date: doc.issueDate,
    documentId: invoiceDocumentId(doc),
    facturX: options.ciiXml ? { documentType: 'INVOICE', fileName: FACTURX_FILE_NAME, version: '1.0', conformanceLevel: 'EN 16931' } : null,
  });
  if (options.ciiXml) {
    attachAssociatedXml(pdf, {
      name: FACTURX_FILE_NAME,
      bytes: new TextEncoder().encode(options.ciiXml),
      description: `Factur-X (EN 16931) de ${title.toLowerCase()}`,
      date: doc.issueDate,
      relationship: 'Data',
    });
  }
  // Plain cross-reference table and objects (no object streams): valid PDF/A-3, easy to audit.
  return pdf.save({ useObjectStreams: false });
}
