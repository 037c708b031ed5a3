import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The official ISO 20022 schemas: the shared copy beside the repository (../shared/iso20022 from
// its root) when there is one, else the identical copy kept in test/fixtures/iso20022 (so a clone
// anywhere can run the tests; sepa-file.test.ts checks the two are the same files).
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const SHARED_XSD_DIR = path.resolve(repoRoot, '..', 'shared', 'iso20022');
export const VENDORED_XSD_DIR = path.resolve(import.meta.dirname, 'fixtures', 'iso20022');
export const XSD_DIR = existsSync(SHARED_XSD_DIR) ? SHARED_XSD_DIR : VENDORED_XSD_DIR;

export function xsdPath(version: 'pain.008.001.08' | 'pain.008.001.02'): string {
  const file = path.join(XSD_DIR, `${version}.xsd`);
  if (!existsSync(file)) throw new Error(`XSD ${file} not found`);
  return file;
}

/** xmllint --noout --schema <xsd> <file>: true, or the validator's messages. */
export function validateAgainstXsd(xml: string, version: 'pain.008.001.08' | 'pain.008.001.02'): { valid: boolean; output: string } {
  const schema = xsdPath(version);
  const dir = mkdtempSync(path.join(tmpdir(), 'sepa-xsd-'));
  try {
    const file = path.join(dir, 'file.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw new Error(`xmllint could not run (${run.error.message}): install libxml2-utils`);
    return { valid: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
