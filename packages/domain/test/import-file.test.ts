import { describe, expect, it } from 'vitest';
import { ImportFileInspector, parseCsv } from '../src/index.ts';
import type { CsvRecord } from '../src/shared/csv.ts';
import { readImportRecords } from '../src/client-imports/import-file.ts';
import { slices } from '../src/client-imports/import-file-store.ts';

/** Windows-1252 bytes of a text (the few characters these tests use beyond Latin-1). */
const cp1252 = (text: string) => Uint8Array.from([...text].map((c) => ({ '€': 0x80, '’': 0x92, 'œ': 0x9c })[c] ?? c.charCodeAt(0)));

/** A file cut every `size` bytes, as a stream delivers it. */
function* cut(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(chunks: Iterable<Uint8Array>, encoding: 'utf-8' | 'windows-1252', delimiter: ';' | ','): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  const source = (async function* () {
    for (const chunk of chunks) yield await Promise.resolve(chunk);
  })();
  for await (const batch of readImportRecords(source, encoding, delimiter)) all.push(...batch);
  return all;
}

// Every boundary a stream can cut at: inside a CRLF, a doubled quote, a quoted line break, a
// multi-byte character, just after a separator, a blank line, a last line without its break.
const TRICKY =
  '\uFEFFNom;Prénom;Notes\r\n' +
  'Lefèvre;Hélène;"Dit ""Lili"", née à Évry"\r\n' +
  '\r\n' +
  'Dœuf;;"Livraison le mardi\r\nPorte de derrière"\n' +
  'Martin;Jean;\r' +
  '"";"a""";"""b"""\n' +
  ';;\n' +
  'Müller;Zoë;€ 12 — fin';

describe('import files read as a stream', () => {
  it('gives the same records, row numbers included, whatever the chunks (every cut point, UTF-8 and Windows-1252)', async () => {
    const expected = parseCsv(TRICKY.replace(/^\uFEFF/, ''), ';');
    expect(expected.map((r) => r.row)).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(expected[2]!.cells).toEqual(['Dœuf', '', 'Livraison le mardi\r\nPorte de derrière']);
    const utf8 = Buffer.from(TRICKY);
    for (let size = 1; size <= utf8.length; size++) {
      expect([size, await records(cut(utf8, size), 'utf-8', ';')]).toEqual([size, expected]);
    }
    const latin = cp1252(TRICKY.replace(/^\uFEFF/, '').replace('—', '-'));
    const expectedLatin = parseCsv(TRICKY.replace(/^\uFEFF/, '').replace('—', '-'), ';');
    for (let size = 1; size <= latin.length; size += 3) {
      expect([size, await records(cut(latin, size), 'windows-1252', ';')]).toEqual([size, expectedLatin]);
    }
  });

  it('inspects a file as it streams: encoding, separator, header, preview and row count do not depend on the chunks', () => {
    const file = Buffer.from(`Nom,Prénom,Email\n${Array.from({ length: 50 }, (_, i) => `"Nom, ${i}",Prénom ${i},p${i}@example.test`).join('\r\n')}\n\n`);
    const latin = cp1252('Nom;Prénom;Notes\r\nLefèvre;Hélène;l’été\r\n'.repeat(1).concat('Dœuf;Zoé;€\r\n'));
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const a = new ImportFileInspector(1024 * 1024);
      for (const chunk of cut(file, size)) a.write(chunk);
      expect(a.finish()).toMatchObject({ encoding: 'utf-8', delimiter: ',', headers: ['Nom', 'Prénom', 'Email'], totalRows: 50, sizeBytes: file.length, preview: [['Nom, 0', 'Prénom 0', 'p0@example.test'], ...(new Array(4).fill(expect.any(Array)) as unknown[])] });
      const b = new ImportFileInspector(1024 * 1024);
      for (const chunk of cut(latin, size)) b.write(chunk);
      expect(b.finish()).toMatchObject({ encoding: 'windows-1252', delimiter: ';', headers: ['Nom', 'Prénom', 'Notes'], totalRows: 2, preview: [['Lefèvre', 'Hélène', 'l’été'], ['Dœuf', 'Zoé', '€']] });
    }
  });

  it('refuses a file past the limit as soon as the bytes pass it', () => {
    const inspector = new ImportFileInspector(10);
    inspector.write(Buffer.from('Nom\nMartin'));
    expect(() => inspector.write(Buffer.from('!'))).toThrow('Fichier trop volumineux');
  });

  it('regroups any chunks into fixed slices without losing or reordering a byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    for (const size of [1, 333, 4096, 20_000]) {
      const out: Buffer[] = [];
      for await (const slice of slices(cut(bytes, size), 1000)) out.push(slice);
      expect(out.slice(0, -1).every((s) => s.length === 1000)).toBe(true);
      expect(Buffer.concat(out).equals(bytes)).toBe(true);
    }
  });
});
