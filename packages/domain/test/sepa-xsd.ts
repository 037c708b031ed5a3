import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The official ISO 20022 schemas live beside the repository (../shared/iso20022 from its root),
// as they do for every clone on this machine, CI's included; they are not copied into the repo.
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const XSD_DIR = path.resolve(repoRoot, '..', 'shared', 'iso20022');

export function xsdPath(version: 'pain.008.001.08' | 'pain.008.001.02'): string {
  const file = path.join(XSD_DIR, `${version}.xsd`);
  if (!existsSync(file)) {
    throw new Error(`XSD ${file} not found: the ISO 20022 schemas are expected in <repo>/../shared/iso20022 (repo at ${repoRoot})`);
  }
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
