import { parseReturnCsv } from './bank-return-csv.ts';
import { returnFileError, type BankReturnFile } from './bank-return-types.ts';
import { parseReturnXml } from './bank-return-xml.ts';

function decodeXmlBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw returnFileError('Encodage invalide : un fichier XML de la banque doit être en UTF-8');
  }
}

/**
 * Reads a bank return file: pain.002.001.03 / .001.10, camt.054.001.02 / .001.08, or the CSV
 * (end_to_end_id;status;reason_code;amount;date). Refuses with a French BAD_REQUEST what is
 * none of these: malformed XML, another ISO message, a file missing its mandatory parts.
 */
export function parseBankReturnFile(content: string | Uint8Array): BankReturnFile {
  if (typeof content !== 'string') {
    let start = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
    // Past the end content[start] is undefined, which is none of these bytes.
    while (content[start] === 0x20 || content[start] === 0x0a || content[start] === 0x0d || content[start] === 0x09) start++;
    if (content[start] === 0x3c) return parseReturnXml(decodeXmlBytes(content.subarray(start)));
    return parseReturnCsv(content);
  }
  const text = content.trimStart(); // a byte-order mark (U+FEFF) is white space to trimStart; an empty text is the CSV reader's "Fichier vide"
  return text.startsWith('<') ? parseReturnXml(text) : parseReturnCsv(text);
}
