/**
 * Writing CSV files people open in a spreadsheet (client export, audit trail, accounting journal).
 * Reading CSV is csv.ts.
 */

/** A value spreadsheet software would run as a formula (=, +, -, @, tab, CR first) kept as text: "'=cmd|..." (CSV injection). */
export const neutraliseFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** A cell as spreadsheet software will read it: neutralised, quoted, its quotes doubled. */
export function csvCell(value: string): string {
  return `"${neutraliseFormula(value).replace(/"/g, '""')}"`;
}

/** One line of the file: every cell through csvCell, `;` between them, CRLF. */
export const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(';')}\r\n`;
