import { decodeCsv, detectDelimiter, parseCsv } from '../client-imports/csv.ts';
import { parseAmountCents, returnFileError, type BankReturnFile, type BankReturnLine, type BankReturnProblem, type BankReturnStatus } from './bank-return-types.ts';

// The simple CSV some banks and payment providers offer instead of ISO files. Documented columns
// (header row required, any order, ';' or ','):
//   end_to_end_id;status;reason_code;amount;date
// status: rejected | settled | accepted (or RJCT / ACSC / ACCP, or French: rejete, impaye, paye,
// regle, accepte); reason_code: ISO code (AM04...), expected on rejections; amount: euros with
// '.' or ',' ("12.30", "12,30"); date: YYYY-MM-DD or DD/MM/YYYY.

export const RETURN_CSV_COLUMNS = ['end_to_end_id', 'status', 'reason_code', 'amount', 'date'] as const;

const STATUSES: Record<string, BankReturnStatus> = {
  rejected: 'rejected', rjct: 'rejected', rejet: 'rejected', rejete: 'rejected', impaye: 'rejected', returned: 'rejected', retour: 'rejected',
  settled: 'settled', acsc: 'settled', paid: 'settled', paye: 'settled', regle: 'settled', book: 'settled',
  accepted: 'accepted', accp: 'accepted', accepte: 'accepted',
};

const fold = (value: string): string => value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();

function isoDate(value: string): string | null {
  const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
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
  if (unknown.length > 0) problems.push({ at: 'ligne 1', message: `Colonnes ignorées : ${unknown.join(', ')}` });
  const [idCol, statusCol, reasonCol, amountCol, dateCol] = RETURN_CSV_COLUMNS.map(column) as [number, number, number, number, number];
  const cell = (cells: string[], index: number) => (index < 0 ? '' : (cells[index] ?? '').trim());

  const lines: BankReturnLine[] = [];
  for (const record of records.slice(1)) {
    const at = `ligne ${record.row}`;
    const endToEndId = cell(record.cells, idCol);
    if (!endToEndId) {
      problems.push({ at, message: 'Référence de bout en bout (end_to_end_id) vide : ligne ignorée' });
      continue;
    }
    const rawStatus = cell(record.cells, statusCol);
    const status = STATUSES[fold(rawStatus)];
    if (!status) {
      problems.push({ at, message: `Statut inconnu « ${rawStatus} » (rejected, settled ou accepted) : ligne ignorée` });
      continue;
    }
    const line: BankReturnLine = { endToEndId, status };
    const reason = cell(record.cells, reasonCol).toUpperCase();
    if (reason) {
      if (/^[A-Z0-9]{4}$/.test(reason)) line.reasonCode = reason;
      else problems.push({ at, message: `Code motif illisible « ${reason} » (4 caractères, ex. AM04)` });
    } else if (status === 'rejected') problems.push({ at, message: `Rejet de ${endToEndId} sans code motif` });
    const amount = cell(record.cells, amountCol).replace(/[\s\u00a0\u202f]/g, '');
    if (amount) {
      const cents = parseAmountCents(amount);
      if (cents === null) problems.push({ at, message: `Montant illisible « ${amount} »` });
      else line.amountCents = cents;
    }
    const date = cell(record.cells, dateCol);
    if (date) {
      const iso = isoDate(date);
      if (iso === null) problems.push({ at, message: `Date illisible « ${date} » (AAAA-MM-JJ ou JJ/MM/AAAA)` });
      else line.date = iso;
    }
    lines.push(line);
  }
  return { fileKind: 'csv', messageId: null, blocks: [], lines, problems };
}
