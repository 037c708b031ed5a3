import { withTenant } from '@crm/db';
import { describe, expect, it } from 'vitest';
import { derivedColumns, exportClientsCsv, parseCsv, ZListClientsInput } from '../src/index.ts';
import { ownerTenant } from './harness.ts';

// The client CSV export against CSV injection, every column at once: clients whose every text
// field starts with a formula character are written straight to the table (as an import, an
// older version or a future form might have left them: the export does not rely on the input
// rules), and no cell of the exported file may start like a formula. The test reads every cell
// of every line, so a column added to the export is checked without a line here.

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'] as const;
const FORMULA = /^[=+\-@\t\r]/;

async function exported(run: Awaited<ReturnType<typeof ownerTenant>>['run']) {
  const filters = ZListClientsInput.omit({ cursor: true, limit: true, direction: true }).parse({ sort: 'name' });
  let text = '';
  for await (const chunk of exportClientsCsv((fn) => run(fn), filters)) text += chunk;
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parseCsv(text.slice(1), ';').map((record) => record.cells);
}

describe('the client CSV export', () => {
  it('neutralises a formula start in every column of every client, and keeps the value after the apostrophe', async () => {
    const { owner, run, auth } = await ownerTenant();
    const stored: { displayName: string; email: string; phone: string; city: string; tag: string }[] = [];
    await withTenant(auth.db, owner.tenantId, async (tx) => {
      for (const [i, start] of FORMULA_STARTS.entries()) {
        for (const kind of ['company', 'person'] as const) {
          const client =
            kind === 'company'
              ? { kind, companyName: `${start}HYPERLINK("http://evil.example/${i}";"Cliquez")` }
              : { kind, lastName: `${start}cmd|' /C calc'!A${i}`, firstName: `${start}x` };
          const fields = { email: `${start}${kind}${i}@example.test`, phone: `${start}3361234567${i}`, city: `${start}Lyon${i}`, tags: [`${start}vip`, 'salon'] };
          const row = await tx.client.create({ data: { tenantId: owner.tenantId, ...client, ...fields, ...derivedColumns({ ...client, ...fields }) } });
          stored.push({ displayName: row.displayName, email: fields.email, phone: fields.phone, city: fields.city, tag: `${start}vip, salon` });
        }
      }
    });

    const [header, ...rows] = await exported(run);
    expect(header).toEqual(['Nom', 'Type', 'Email', 'Téléphone', 'Ville', 'Statut', 'Étiquettes', 'Créé le']);
    expect(rows).toHaveLength(FORMULA_STARTS.length * 2);
    // No cell anywhere starts like a formula.
    const dangerous = rows.flatMap((cells, r) => cells.filter((cell) => FORMULA.test(cell)).map((cell) => `row ${r + 1}: ${JSON.stringify(cell)}`));
    expect(dangerous).toEqual([]);
    // Every stored value is there, behind one apostrophe, in its column.
    const column = (name: string) => header!.indexOf(name);
    for (const client of stored) {
      const row = rows.find((cells) => cells[column('Nom')] === `'${client.displayName}`);
      expect(row, client.displayName).toBeDefined();
      expect(row![column('Email')]).toBe(`'${client.email}`);
      expect(row![column('Téléphone')]).toBe(`'${client.phone}`);
      expect(row![column('Ville')]).toBe(`'${client.city}`);
      expect(row![column('Étiquettes')]).toBe(`'${client.tag}`);
    }
  });

  it('leaves ordinary values as they are, across pages', async () => {
    const { owner, run, auth } = await ownerTenant();
    await withTenant(auth.db, owner.tenantId, (tx) =>
      tx.client.createMany({
        data: Array.from({ length: 205 }, (_, i) => {
          const client = { kind: 'person' as const, lastName: `Client-${String(i).padStart(3, '0')}`, city: 'Saint-Étienne', email: `c${i}@example.test` };
          return { tenantId: owner.tenantId, ...client, ...derivedColumns(client) };
        }),
      }),
    );
    const [, ...rows] = await exported(run);
    expect(rows).toHaveLength(205);
    expect(rows[0]!.slice(0, 5)).toEqual(['CLIENT-000', 'Particulier', 'c0@example.test', '', 'Saint-Étienne']);
    expect(rows.at(-1)![0]).toBe('CLIENT-204');
    expect(new Set(rows.map((cells) => cells[0])).size).toBe(205);
  });
});
