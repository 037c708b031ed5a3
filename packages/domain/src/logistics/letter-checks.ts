import { PDFDocument } from 'pdf-lib';

/** Maileva's limits (mail v2.6 and registered_mail v2.5, "Ajout d'un document"; french-rules.md §5). */
export const MAILEVA_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** A small DL envelope holds 5 sheets, a large C4 45, the address sheet included. */
export const DL_MAX_SHEETS = 5;
export const C4_MAX_SHEETS = 45;

export interface LetterPrintPlan {
  pages: number;
  /** Sheets in the envelope: the printed sheets plus the address sheet Maileva adds. */
  sheets: number;
  envelope: 'DL' | 'C4';
}

/** A letter Maileva would refuse: never sent, the author reads why (French). */
export class LetterCheckError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'LetterCheckError';
  }
}

/**
 * What the PDF costs in paper and whether it fits an envelope, before anything is sent:
 * size at most 20 MB, a PDF that opens, sheets (duplex halves them) plus the address sheet
 * at most 45 (C4); 5 or fewer go in a DL envelope.
 */
export async function planLetterPrint(pdf: Uint8Array, duplex: boolean): Promise<LetterPrintPlan> {
  if (pdf.length > MAILEVA_MAX_DOCUMENT_BYTES) throw new LetterCheckError('Document trop volumineux pour un courrier : 20 Mo au plus', 'documentId');
  let pages: number;
  try {
    pages = (await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: false })).getPageCount();
  } catch {
    throw new LetterCheckError('Ce PDF ne peut pas être lu (chiffré ou endommagé) : il ne peut pas être imprimé', 'documentId');
  }
  if (pages === 0) throw new LetterCheckError('Ce PDF ne contient aucune page', 'documentId');
  const sheets = (duplex ? Math.ceil(pages / 2) : pages) + 1;
  if (sheets > C4_MAX_SHEETS) {
    throw new LetterCheckError(`Trop de feuilles pour une enveloppe : ${sheets} avec la feuille porte-adresse, ${C4_MAX_SHEETS} au plus${duplex ? '' : ' (essayez le recto verso)'}`, 'documentId');
  }
  return { pages, sheets, envelope: sheets <= DL_MAX_SHEETS ? 'DL' : 'C4' };
}
