import { decodeCsv, detectDelimiter, parseCsv } from '../shared/csv.ts';
import {
  dayOf,
  isSepaReference,
  parseAmountCents,
  receivedReasonCode,
  returnFileError,
  shown,
  type BankReturnFile,
  type BankReturnLine,
  type BankReturnProblem,
  type BankReturnStatus,
} from './bank-return-types.ts';

// The simple CSV some banks and payment providers offer instead of ISO files. Documented columns
// (header row required, any order, ';' or ','):
//   end_to_end_id;status;reason_code;amount;date
// status: rejected | settled | accepted (or RJCT / ACSC / ACCP, or French: rejete, impaye, paye,
// regle, accepte); reason_code: ISO code (AM04...), expected on rejections, kept as written;
// amount: euros with '.' or ',' ("12.30", "12,30"); date: YYYY-MM-DD or DD/MM/YYYY, a real day
// (an impossible date refuses the whole file, naming its line).

export const RETURN_CSV_COLUMNS = ['end_to_end_id', 'status', 'reason_code', 'amount', 'date'] as const;

const STATUSES: Record<string, BankReturnStatus> = {
  rejected: 'rejected', rjct: 'rejected', rejet: 'rejected', rejete: 'rejected', impaye: 'rejected', returned: 'rejected', retour: 'rejected',
  settled: 'settled', acsc: 'settled', paid: 'settled', paye: 'settled', regle: 'settled', book: 'settled',
  accepted: 'accepted', accp: 'accepted', accepte: 'accepted',
};

const fold = (value: string): string => value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();

/** DD/MM/YYYY as YYYY-MM-DD; other text unchanged (then checked by `dayOf`). */
function isoFormOf(value: string): string {
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  return french ? `${french[3]}-${french[2]}-${french[1]}` : value;
}

export function parseReturnCsv(content: string | Uint8Array): BankReturnFile {
  const text = typeof content === 'string' ? content.replace(/^\uFEFF/, '') : decodeCsv(content).text;
  const delimiter = detectDelimiter(text);
  const records = parseCsv(text, delimiter);
  const header = records[0];
  if (!header) throw returnFileError('Fichier vide');
  const names = header.cells.map(fold);
  const column = (name: string) => names.indexOf(name);
  const missing = ['end_to_end_id', 'status'].filter((name) => column(name) < 0);
  if (missing.length > 0) {
    throw returnFileError(
      `Fichier non reconnu : ni XML ISO 20022, ni CSV de retours (colonne${missing.length > 1 ? 's' : ''} ${missing.join(', ')} absente${missing.length > 1 ? 's' : ''} ; en-tête attendu : ${RETURN_CSV_COLUMNS.join(';')})`,
    );
  }
  const problems: BankReturnProblem[] = [];
  const unknown = header.cells.filter((_, i) => !(RETURN_CSV_COLUMNS as readonly string[]).includes(names[i]!));
  if (unknown.length > 0) problems.push({ at: 'ligne 1', message: `Colonnes ignorées : ${unknown.map((name) => shown(name, 40)).join(', ')}` });
  const [idCol, statusCol, reasonCol, amountCol, dateCol] = RETURN_CSV_COLUMNS.map(column) as [number, number, number, number, number];
  const cell = (cells: string[], index: number) => (cells[index] ?? '').trim(); // an absent column is index -1: undefined

  const lines: BankReturnLine[] = [];
  for (const record of records.slice(1)) {
    const at = `ligne ${record.row}`;
    const endToEndId = cell(record.cells, idCol);
    if (!endToEndId) {
      problems.push({ at, message: 'Référence de bout en bout (end_to_end_id) vide : ligne ignorée' });
      continue;
    }
    if (!isSepaReference(endToEndId)) {
      problems.push({ at, message: `Référence de bout en bout illisible « ${shown(endToEndId)} » : ligne ignorée` });
      continue;
    }
    const rawStatus = cell(record.cells, statusCol);
    const status = STATUSES[fold(rawStatus)];
    if (!status) {
      problems.push({ at, message: `Statut inconnu « ${shown(rawStatus)} » (rejected, settled ou accepted) : ligne ignorée` });
      continue;
    }
    const line: BankReturnLine = { endToEndId, status };
    const reason = cell(record.cells, reasonCol);
    if (reason) {
      const code = receivedReasonCode(reason);
      if (code !== null) line.reasonCode = code;
      else problems.push({ at, message: `Code motif illisible « ${shown(reason)} » (ex. AM04)` });
    } else if (status === 'rejected') problems.push({ at, message: `Rejet de ${endToEndId} sans code motif` });
    const amount = cell(record.cells, amountCol).replace(/[\s\u00a0\u202f]/g, '');
    if (amount) {
      const cents = parseAmountCents(amount);
      if (cents === null) problems.push({ at, message: `Montant illisible « ${shown(amount)} »` });
      else line.amountCents = cents;
    }
    const date = cell(record.cells, dateCol);
    if (date) line.date = dayOf(isoFormOf(date), `${at}, colonne date`);
    lines.push(line);
  }
  return { fileKind: 'csv', messageId: null, blocks: [], lines, problems };
}
