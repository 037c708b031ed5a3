import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CaseCharges } from './dunning-rules.ts';

/**
 * The formal notice (mise en demeure) as a PDF: what french-rules.md §4 lists (title, parties,
 * contract, itemised debts, amount, deadline, interest basis, consequences, how to pay), sent by
 * registered letter with acknowledgement. The same data gives the same bytes (dates from the data).
 * B2C: no penalty, no indemnity, no fee is claimed or even mentioned as owed; legal interest from
 * the notice only. B2B: penalties at the stated rate and 40 EUR per late invoice (C. com. L441-10).
 */
export interface FormalNoticeData {
  audience: 'b2b' | 'b2c';
  /** The notice's date (YYYY-MM-DD) and its deadline in days from receipt. */
  date: string;
  deadlineDays: number;
  creditor: { name: string; legalLine: string; addressLines: string[]; iban: string | null; contact: string };
  debtor: { name: string; addressLines: string[] };
  reference: string;
  contracts: string[];
  items: { label: string; dueDate: string; amountCents: number; paidCents: number }[];
  charges: CaseCharges;
  /** B2B: the rate applied, as the contract or the law states it. */
  penaltyRateText: string | null;
  consequences: string[];
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const longDate = (day: string): string => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
const shortDate = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
/** 1 234,56 € with plain spaces (the standard fonts' WinAnsi has no narrow no-break space). */
export const eur = (cents: number): string => `${String(Math.trunc(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${String(Math.abs(cents) % 100).padStart(2, '0')} €`;

/** The notice's text, paragraph by paragraph: what the PDF shows, and what tests read. */
export function formalNoticeParagraphs(data: FormalNoticeData): string[] {
  const c = data.charges;
  const lines = [
    `Référence : ${data.reference}${data.contracts.length ? ` — contrat(s) ${data.contracts.join(', ')}` : ''}`,
    `Madame, Monsieur,`,
    `Malgré nos précédentes relances, vous restez redevable envers ${data.creditor.name} des sommes suivantes :`,
    ...data.items.map((i) => `• ${i.label} — échéance du ${shortDate(i.dueDate)} : ${eur(i.amountCents)}${i.paidCents > 0 ? `, dont ${eur(i.paidCents)} déjà réglés` : ''}`),
    `Principal restant dû : ${eur(c.outstandingCents)}.`,
  ];
  if (data.audience === 'b2b') {
    lines.push(
      `Pénalités de retard (article L441-10 du Code de commerce, ${data.penaltyRateText ?? 'taux de refinancement de la BCE majoré de 10 points'}) arrêtées au ${shortDate(data.date)} : ${eur(c.penaltyCents)}.`,
      `Indemnité forfaitaire pour frais de recouvrement (40 € par facture payée en retard, article D441-5 du Code de commerce) : ${eur(c.indemnityCents)}.`,
      `Soit un total de ${eur(c.totalCents)}, les pénalités continuant de courir jusqu’au paiement.`,
    );
  } else {
    lines.push(
      `Aucuns frais de recouvrement ne vous sont réclamés. À défaut de paiement, la somme due portera intérêts au taux légal à compter de la présente mise en demeure (article 1231-6 du Code civil).`,
      `Soit un total de ${eur(c.totalCents)} à ce jour.`,
    );
  }
  lines.push(
    `Nous vous mettons en demeure de régler cette somme dans un délai de ${data.deadlineDays} jours à compter de la réception de la présente lettre.`,
    `À défaut, nous serons contraints de : ${data.consequences.join(' ; ')}.`,
    `Pour régler : ${data.creditor.iban ? `virement sur le compte IBAN ${data.creditor.iban}, en rappelant la référence ${data.reference}` : `en rappelant la référence ${data.reference}`}. Pour toute question ou pour convenir d’un échéancier : ${data.creditor.contact}.`,
    `Veuillez agréer, Madame, Monsieur, nos salutations distinguées.`,
  );
  return lines;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

export interface LetterPdfData {
  date: string;
  title: string;
  /** Printed under the date: "Lettre recommandée avec demande d’avis de réception". */
  mention: string | null;
  creditor: { name: string; legalLine: string; addressLines: string[] };
  debtor: { name: string; addressLines: string[] };
  paragraphs: string[];
}

export const renderFormalNoticePdf = (data: FormalNoticeData): Promise<Uint8Array> =>
  renderLetterPdf({
    date: data.date,
    title: 'MISE EN DEMEURE DE PAYER',
    mention: 'Lettre recommandée avec demande d’avis de réception',
    creditor: data.creditor,
    debtor: data.debtor,
    paragraphs: formalNoticeParagraphs(data),
  });

/** A one-recipient letter on A4, the address placed for a window envelope (DL, right side). */
export async function renderLetterPdf(data: LetterPdfData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(data.title);
  doc.setProducer('CRM (pdf-lib)');
  doc.setCreator('CRM');
  const at = new Date(`${data.date}T00:00:00Z`);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([595.28, 841.89]);
  let y = 800;
  const left = 56;
  const width = 595.28 - 2 * left;
  const write = (text: string, size = 10, f = font, x = left) => {
    for (const line of wrap(text, f, size, width - (x - left))) {
      if (y < 60) {
        page = doc.addPage([595.28, 841.89]);
        y = 800;
      }
      page.drawText(line, { x, y, size, font: f, color: rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  write(data.creditor.name, 11, bold);
  write(data.creditor.legalLine, 8);
  for (const l of data.creditor.addressLines) write(l, 10);
  y -= 10;
  for (const [i, l] of [data.debtor.name, ...data.debtor.addressLines].entries()) write(l, 10, i === 0 ? bold : font, 330);
  y -= 10;
  write(`Le ${longDate(data.date)}`, 10);
  if (data.mention) write(data.mention, 9, bold);
  y -= 8;
  write(data.title, 14, bold);
  y -= 6;
  for (const paragraph of data.paragraphs) {
    for (const part of paragraph.split('\n')) write(part, 10);
    y -= 4;
  }
  y -= 10;
  write(data.creditor.name, 10, bold);
  return doc.save({ useObjectStreams: false });
}
