import { createHash } from 'node:crypto';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { SepaLocalInstrument } from '../sepa/sepa-direct-debit-types.ts';
import { planSchedule, type Frequency } from '../payments/schedule-rules.ts';
import { fold } from '../shared/text.ts';
import { formatEur } from '../shared/money.ts';
import { contractTotals, lineTotals, type LineAmounts } from './contract-view.ts';
import { mandateWording, withdrawalNotice } from './legal-texts.ts';

/**
 * The layout of the contract PDF a signature covers. A signature records its layout
 * (contracts.document_layout), so a signed contract is always regenerated as it was signed and
 * its sha256 still verifies after the layout moves on. 1: up to December 2026; 2: the withdrawal
 * period as the law words it and the model withdrawal form as a page of consumer contracts.
 */
export const CONTRACT_PDF_LAYOUT = 3;
// 3: the creditor's legal form is not repeated when its legal name already ends with it ("SAS"),
// the schedule of the first debits is printed, and the signed copy fills the signature block.

/** Everything a contract or mandate PDF shows: nothing else goes in, so the same data gives the same bytes. */
export interface ContractPdfData {
  organisation: {
    name: string;
    legalName: string | null;
    legalForm: string | null;
    siren: string | null;
    vatNumber: string | null;
    addressLine1: string | null;
    addressLine2: string | null;
    postalCode: string | null;
    city: string | null;
    country: string;
    sepaCreditorId: string | null;
    /** Named on the withdrawal form (layout 2). */
    contactEmail?: string | null;
  };
  client: {
    displayName: string;
    kind: string;
    addressLine1: string | null;
    addressLine2: string | null;
    postalCode: string | null;
    city: string | null;
    country: string;
    email: string | null;
  };
  /** CONTRACT_PDF_LAYOUT for a contract not signed yet, the one signed otherwise. */
  layout: number;
  number: string;
  billingFrequency: string;
  startDate: string;
  durationMonths: number;
  tacitRenewal: boolean;
  paymentMethod: string;
  consumer: boolean;
  debitDay: number;
  preNotificationDays: number;
  debtorName: string | null;
  debtorIban: string | null;
  debtorBic: string | null;
  sepaScheme: SepaLocalInstrument;
  lines: (LineAmounts & { label: string })[];
  /** The PDF's creation and modification dates: from the contract, never "now". */
  createdAt: Date;
  modifiedAt: Date;
  /** The mandate only: its RUM when one was assigned, and where/when it was signed. */
  rum?: string | null;
  signedOn?: string | null;
  signedPlace?: string | null;
  signerName?: string | null;
  /** The mandate only: recurrent (RCUR) or one-off (OOFF) payments; its status when no longer active. */
  recurrent?: boolean;
  mandateStatus?: { status: 'active' | 'revoked' | 'expired'; on: string | null } | null;
}

/** The signature that fills the signature block of the signed copy (never part of the document presented). */
export interface PdfSignature {
  signerName: string;
  /** A company's signer: the capacity they sign in ("gérant"). */
  signerCapacity: string | null;
  signedAt: Date;
  signedPlace: string | null;
  /** sha256 of the document presented for signature: the evidence the signature covers. */
  presentedSha256: string;
  channel: 'in_app' | 'hand_over' | 'remote';
}

/** How many debits the contract PDF lists (the rest follow the same rule). */
const SCHEDULE_SHOWN = 12;

export const FREQUENCY_LABELS: Record<string, { label: string; period: string }> = {
  one_off: { label: 'Ponctuelle', period: 'montant unique' },
  monthly: { label: 'Mensuelle', period: 'par mois' },
  quarterly: { label: 'Trimestrielle', period: 'par trimestre' },
  half_yearly: { label: 'Semestrielle', period: 'par semestre' },
  yearly: { label: 'Annuelle', period: 'par an' },
};
export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  sepa_debit: 'Prélèvement SEPA',
  transfer: 'Virement bancaire',
  card: 'Carte bancaire',
  cheque: 'Chèque',
};

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const GREY = rgb(0.35, 0.35, 0.35);

const frDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const eur = (cents: number): string => formatEur(cents);
const percent = (basisPoints: number): string => `${(basisPoints / 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 })} %`;
const ibanGroups = (iban: string): string => iban.replace(/(.{4})(?=.)/g, '$1 ');

/** A4 pages written top to bottom with the standard Helvetica fonts (WinAnsi: French accents and €). */
class Writer {
  private page: PDFPage;
  private y = A4[1] - MARGIN;
  private readonly charset: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.charset = new Set(regular.getCharacterSet());
  }

  /** Characters Helvetica cannot encode (narrow no-break spaces from Intl, emoji...) become plain ones. */
  clean(text: string): string {
    return [...text.normalize('NFC').replace(/[\u202f\u00a0\u2009]/g, ' ')]
      .map((char) => (this.charset.has(char.codePointAt(0)!) ? char : '?'))
      .join('');
  }

  private ensure(height: number) {
    if (this.y - height < MARGIN) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN;
    }
  }

  width(text: string, size: number, bold = false): number {
    return (bold ? this.bold : this.regular).widthOfTextAtSize(this.clean(text), size);
  }

  /** One paragraph wrapped to the page width (or `width`), starting at `x`. */
  paragraph(text: string, { size = 10, bold = false, x = MARGIN, width = A4[0] - 2 * MARGIN, gap = 2, color = rgb(0, 0, 0) } = {}) {
    const font = bold ? this.bold : this.regular;
    const words = this.clean(text).split(' ');
    let line = '';
    const flush = () => {
      this.ensure(size + gap);
      this.y -= size + gap;
      this.page.drawText(line, { x, y: this.y, size, font, color });
      line = '';
    };
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(candidate, size) > width) {
        flush();
        line = word;
      } else line = candidate;
    }
    if (line) flush();
  }

  /** Cells of one row at fixed x positions; `right` aligns a cell's text to its right edge. */
  row(cells: { text: string; x: number; right?: number }[], { size = 9, bold = false } = {}) {
    const font = bold ? this.bold : this.regular;
    this.ensure(size + 6);
    this.y -= size + 6;
    for (const cell of cells) {
      const text = this.clean(cell.text);
      const x = cell.right === undefined ? cell.x : cell.right - font.widthOfTextAtSize(text, size);
      this.page.drawText(text, { x, y: this.y, size, font });
    }
  }

  rule() {
    this.ensure(8);
    this.y -= 6;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4[0] - MARGIN, y: this.y }, thickness: 0.5, color: GREY });
  }

  space(height = 8) {
    this.y -= height;
  }

  /** What follows starts at the top of a new page (a form meant to be detached). */
  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  box(height: number, label: string) {
    this.ensure(height + 16);
    this.paragraph(label, { size: 9, bold: true });
    this.y -= height;
    this.page.drawRectangle({ x: MARGIN, y: this.y, width: A4[0] - 2 * MARGIN, height, borderColor: GREY, borderWidth: 0.5 });
  }
}

async function newDocument(title: string, data: ContractPdfData) {
  // No automatic metadata: pdf-lib would stamp the current time, and the signed hash must be re-computable.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title, { showInWindowTitleBar: false });
  doc.setAuthor(data.organisation.legalName ?? data.organisation.name);
  doc.setCreator('CRM');
  doc.setProducer('CRM (pdf-lib)');
  doc.setLanguage('fr-FR');
  doc.setCreationDate(data.createdAt);
  doc.setModificationDate(data.modifiedAt);
  const writer = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  return { doc, writer };
}

const save = (doc: PDFDocument) => doc.save({ useObjectStreams: false });

function address(parts: { addressLine1: string | null; addressLine2: string | null; postalCode: string | null; city: string | null; country: string }): string[] {
  return [parts.addressLine1, parts.addressLine2, [parts.postalCode, parts.city].filter(Boolean).join(' '), parts.country !== 'FR' ? parts.country : null].filter(
    (line): line is string => Boolean(line),
  );
}

/** The legal name with its form, once: "Exemple SAS" with the form "SAS" stays "Exemple SAS". */
export function legalNameWithForm(o: Pick<ContractPdfData['organisation'], 'name' | 'legalName' | 'legalForm'>): string {
  const name = o.legalName ?? o.name;
  if (!o.legalForm) return name;
  // "S.A.S." is "SAS": dots go, other separators split words.
  const plain = (text: string) => fold(text).replace(/\./g, '').replace(/[^a-z0-9]+/g, ' ').trim();
  const words = ` ${plain(name)} `;
  const form = plain(o.legalForm);
  return form && words.includes(` ${form} `) ? name : `${name} ${o.legalForm}`;
}

function creditorLines(o: ContractPdfData['organisation'], layout = CONTRACT_PDF_LAYOUT): string[] {
  return [
    layout >= 3 ? legalNameWithForm(o) : [o.legalName ?? o.name, o.legalForm].filter(Boolean).join(' '),
    ...address(o),
    o.siren ? `SIREN ${o.siren}` : null,
    o.vatNumber ? `TVA intracommunautaire ${o.vatNumber}` : null,
  ].filter((line): line is string => Boolean(line));
}

const PARIS_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const PARIS_DAY = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const CHANNELS: Record<PdfSignature['channel'], string> = {
  in_app: 'en présence du conseiller',
  hand_over: 'sur la tablette du conseiller, en mode client',
  remote: 'à distance, par un lien personnel envoyé par e-mail',
};

/** The debits the contract will give (the same rule as the schedule signing creates), the first SCHEDULE_SHOWN. */
function scheduleOf(data: ContractPdfData) {
  const periods = planSchedule({
    startDate: data.startDate,
    durationMonths: data.durationMonths,
    frequency: data.billingFrequency as Frequency,
    debitDay: data.debitDay,
    lines: data.lines,
  });
  return { shown: periods.slice(0, SCHEDULE_SHOWN), more: Math.max(0, periods.length - SCHEDULE_SHOWN) };
}

/**
 * The contract as presented for signature, in French, on A4; with `signature`, the signed copy:
 * the same document with its signature block filled (name, capacity, date, time, place, channel
 * and the sha256 of the document presented, which the evidence records).
 */
export async function renderContractPdf(data: ContractPdfData, signature?: PdfSignature): Promise<Uint8Array> {
  const { doc, writer: w } = await newDocument(`Contrat ${data.number}`, data);
  const frequency = FREQUENCY_LABELS[data.billingFrequency] ?? { label: data.billingFrequency, period: 'par période' };

  w.paragraph(`Contrat n° ${data.number}`, { size: 18, bold: true });
  w.paragraph(`Établi le ${frDate(data.createdAt.toISOString().slice(0, 10))}`, { size: 9, color: GREY });
  w.space(10);
  w.paragraph('Entre', { size: 10, bold: true });
  for (const line of creditorLines(data.organisation, data.layout)) w.paragraph(line, { size: 10 });
  w.paragraph('ci-après « le prestataire »,', { size: 9, color: GREY });
  w.space(6);
  w.paragraph('Et', { size: 10, bold: true });
  w.paragraph(data.client.displayName, { size: 10 });
  for (const line of address(data.client)) w.paragraph(line, { size: 10 });
  if (data.client.email) w.paragraph(data.client.email, { size: 10 });
  w.paragraph(`ci-après « le client »${data.consumer ? ', agissant en qualité de consommateur' : ', agissant en qualité de professionnel'}.`, { size: 9, color: GREY });
  w.space(10);

  w.paragraph('Objet et prix', { size: 12, bold: true });
  const cols = { label: MARGIN, qty: 300, unit: 380, vat: 430, total: A4[0] - MARGIN };
  w.row(
    [
      { text: 'Désignation', x: cols.label },
      { text: 'Qté', x: 0, right: cols.qty },
      { text: 'PU HT', x: 0, right: cols.unit },
      { text: 'TVA', x: 0, right: cols.vat + 30 },
      { text: 'Total HT', x: 0, right: cols.total },
    ],
    { bold: true },
  );
  w.rule();
  for (const line of data.lines) {
    const amounts = lineTotals(line);
    w.row([
      { text: line.label.length > 48 ? `${line.label.slice(0, 47)}…` : line.label, x: cols.label },
      { text: String(line.quantity), x: 0, right: cols.qty },
      { text: eur(line.unitPriceCents), x: 0, right: cols.unit },
      { text: percent(line.vatRateBasisPoints), x: 0, right: cols.vat + 30 },
      { text: eur(amounts.htCents), x: 0, right: cols.total },
    ]);
  }
  w.rule();
  const totals = contractTotals(data.lines);
  w.row([{ text: `Total HT ${frequency.period}`, x: 300 }, { text: eur(totals.htCents), x: 0, right: cols.total }]);
  w.row([{ text: 'TVA', x: 300 }, { text: eur(totals.vatCents), x: 0, right: cols.total }]);
  w.row([{ text: `Total TTC ${frequency.period}`, x: 300 }, { text: eur(totals.ttcCents), x: 0, right: cols.total }], { bold: true });
  w.space(10);

  w.paragraph('Durée et paiement', { size: 12, bold: true });
  w.paragraph(`Date de début : ${frDate(data.startDate)}.`);
  w.paragraph(`Durée : ${data.durationMonths} mois${data.tacitRenewal ? ', renouvelable par tacite reconduction pour des périodes de même durée, sauf résiliation notifiée avant l’échéance' : ', sans tacite reconduction'}.`);
  w.paragraph(`Facturation : ${frequency.label.toLowerCase()}.`);
  w.paragraph(`Mode de paiement : ${PAYMENT_METHOD_LABELS[data.paymentMethod] ?? data.paymentMethod}.`);
  if (data.paymentMethod === 'sepa_debit') {
    w.paragraph(
      `Les prélèvements sont effectués vers le ${data.debitDay} du mois d’échéance ; le client en est informé au moins ${data.preNotificationDays} jours avant chaque prélèvement. Compte débité : ${data.debtorName ?? ''}, IBAN ${data.debtorIban ? ibanGroups(data.debtorIban) : '(à compléter)'}${data.debtorBic ? `, BIC ${data.debtorBic}` : ''}. Un mandat de prélèvement SEPA ${data.sepaScheme === 'B2B' ? 'interentreprises (B2B) ' : ''}accompagne le présent contrat.`,
    );
  }
  if (data.layout >= 3) scheduleTable(w, data);
  if (data.consumer && data.layout >= 2) withdrawalTerms(w, data);
  else if (data.consumer) {
    w.space(4);
    w.paragraph(
      'Droit de rétractation : le client consommateur dispose d’un délai de quatorze jours à compter de la signature du présent contrat pour exercer son droit de rétractation, sans avoir à motiver sa décision ni à supporter d’autres coûts que ceux prévus par la loi.',
      { size: 9 },
    );
  }
  w.space(12);
  w.paragraph('Signature', { size: 12, bold: true });
  w.paragraph(
    'Le client signe le présent contrat par signature électronique simple : il saisit son nom et coche la case de consentement. Le nom saisi, la date et l’heure, l’adresse IP, le navigateur et l’empreinte SHA-256 de ce document sont conservés comme preuve de la signature.',
    { size: 9 },
  );
  w.space(6);
  w.box(60, 'Bon pour accord, le client');
  if (signature) signatureBlock(w, signature);
  if (data.consumer && data.layout >= 2) withdrawalForm(w, data);
  return save(doc);
}

/** The trader as the withdrawal form must name them: name, postal address, e-mail address. */
export function traderForWithdrawal(o: ContractPdfData['organisation']): string {
  return [o.legalName ?? o.name, ...address(o), o.contactEmail].filter(Boolean).join(', ');
}

/** The withdrawal right of a consumer contract, as Code de la consommation L221-18 to L221-25 set it (layout 2). */
function withdrawalTerms(w: Writer, data: ContractPdfData) {
  w.space(6);
  w.paragraph('Droit de rétractation', { size: 11, bold: true });
  for (const paragraph of withdrawalNotice(traderForWithdrawal(data.organisation))) w.paragraph(paragraph, { size: 9 });
}

/** The debits (or instalments) the contract gives, with their dates and amounts (layout 3). */
function scheduleTable(w: Writer, data: ContractPdfData) {
  const { shown, more } = scheduleOf(data);
  if (shown.length === 0) return;
  const sepa = data.paymentMethod === 'sepa_debit';
  w.space(6);
  w.paragraph(sepa ? 'Échéancier des prélèvements' : 'Échéancier', { size: 11, bold: true });
  const right = A4[0] - MARGIN;
  w.row([{ text: sepa ? 'Prélevé le' : 'Échéance', x: MARGIN }, { text: 'Période', x: 160 }, { text: 'Montant TTC', x: 0, right }], { bold: true });
  for (const period of shown) {
    w.row([
      { text: frDate(period.dueDate), x: MARGIN },
      { text: `du ${frDate(period.periodStart)} au ${frDate(period.periodEnd)}${period.prorated ? ' (prorata)' : ''}`, x: 160 },
      { text: eur(period.amountCents), x: 0, right },
    ]);
  }
  if (more > 0) w.paragraph(`Puis ${more} échéance${more > 1 ? 's' : ''} selon la même règle jusqu’au terme du contrat.`, { size: 9, color: GREY });
}

/** The filled signature block of the signed copy. */
function signatureBlock(w: Writer, s: PdfSignature) {
  const day = PARIS_DAY.format(s.signedAt);
  w.space(4);
  w.paragraph(`Signé électroniquement par ${s.signerName}${s.signerCapacity ? `, en qualité de ${s.signerCapacity}` : ''}`, { size: 10, bold: true });
  w.paragraph(`Le ${frDate(day)} à ${PARIS_TIME.format(s.signedAt)} (heure de Paris)${s.signedPlace ? `, à ${s.signedPlace}` : ''}, ${CHANNELS[s.channel]}.`, { size: 9 });
  w.paragraph(`Empreinte SHA-256 du document présenté à la signature : ${s.presentedSha256}`, { size: 8, color: GREY });
}

/** The model withdrawal form (Code de la consommation, annexe à l’article R221-1), alone on the last page. */
function withdrawalForm(w: Writer, data: ContractPdfData) {
  w.newPage();
  w.paragraph('Formulaire de rétractation', { size: 14, bold: true });
  w.space(6);
  w.paragraph('(Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du contrat.)', { size: 10 });
  w.space(8);
  w.paragraph(`À l’attention de ${traderForWithdrawal(data.organisation)} :`, { size: 10 });
  w.space(8);
  w.paragraph(
    'Je/nous (*) vous notifie/notifions (*) par la présente ma/notre (*) rétractation du contrat portant sur la vente du bien (*)/pour la prestation de services (*) ci-dessous :',
    { size: 10 },
  );
  w.paragraph(`Contrat n° ${data.number}`, { size: 10 });
  for (const label of [
    'Commandé le (*)/reçu le (*) :',
    'Nom du (des) consommateur(s) :',
    'Adresse du (des) consommateur(s) :',
    'Signature du (des) consommateur(s) (uniquement en cas de notification du présent formulaire sur papier) :',
    'Date :',
  ]) {
    w.space(18);
    w.paragraph(label, { size: 10 });
  }
  w.space(24);
  w.paragraph('(*) Rayez la mention inutile.', { size: 9 });
}

/** The SEPA mandate of a contract (CORE or B2B), with the standard French wording of its scheme. */
export async function renderMandatePdf(data: ContractPdfData): Promise<Uint8Array> {
  const b2b = data.sepaScheme === 'B2B';
  const title = b2b ? 'Mandat de prélèvement SEPA interentreprises (B2B)' : 'Mandat de prélèvement SEPA';
  const { doc, writer: w } = await newDocument(`${title} - ${data.number}`, data);
  const creditor = data.organisation.legalName ?? data.organisation.name;
  // Blank where nothing is known yet: a hint such as "(à compléter)" never stands as a value.
  const blank = '';
  w.paragraph(title, { size: 18, bold: true });
  w.paragraph(`Référence unique du mandat (RUM) : ${data.rum ?? 'attribuée à la signature du contrat'}`, { size: 10, bold: true });
  w.paragraph(`Contrat n° ${data.number} - type de paiement : ${data.recurrent === false ? 'ponctuel' : 'récurrent'}`, { size: 9, color: GREY });
  if (data.mandateStatus && data.mandateStatus.status !== 'active') {
    const when = data.mandateStatus.on ? ` le ${frDate(data.mandateStatus.on)}` : '';
    w.paragraph(data.mandateStatus.status === 'revoked' ? `Mandat révoqué${when} : il ne permet plus aucun prélèvement.` : `Mandat caduc${when} (36 mois sans prélèvement) : il ne permet plus aucun prélèvement.`, { size: 10, bold: true });
  }
  w.space(10);
  w.paragraph(mandateWording(data.sepaScheme, creditor), { size: 10 });
  w.space(10);
  w.paragraph('Créancier', { size: 12, bold: true });
  for (const line of creditorLines(data.organisation)) w.paragraph(line);
  w.paragraph(`Identifiant créancier SEPA (ICS) : ${data.organisation.sepaCreditorId ?? blank}`, { bold: true });
  w.space(10);
  w.paragraph('Débiteur', { size: 12, bold: true });
  w.paragraph(`Nom : ${data.debtorName ?? data.client.displayName}`);
  for (const line of address(data.client)) w.paragraph(line);
  w.paragraph(`IBAN : ${data.debtorIban ? ibanGroups(data.debtorIban) : blank}`, { bold: true });
  w.paragraph(`BIC : ${data.debtorBic ?? blank}`);
  w.space(10);
  w.paragraph(`Lieu : ${data.signedPlace || blank}`);
  w.paragraph(data.signedOn ? `Signé le ${frDate(data.signedOn)}${data.signerName ? ` par ${data.signerName}` : ''}.` : 'Date :');
  w.space(6);
  w.box(60, 'Signature du débiteur');
  w.space(6);
  w.paragraph(
    'Vos droits concernant le présent mandat sont expliqués dans un document que vous pouvez obtenir auprès de votre banque. Les informations contenues dans le présent mandat sont destinées à n’être utilisées par le créancier que pour la gestion de sa relation avec son client.',
    { size: 8, color: GREY },
  );
  return save(doc);
}
