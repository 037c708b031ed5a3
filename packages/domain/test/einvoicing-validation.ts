import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// Offline validation of a CII invoice, as CI runs it: the UN/CEFACT D16B XSD (xmllint) and the
// EN 16931 business rules (the Schematron compiled to XSLT 2.0, run by SaxonJS). The artefacts come
// from ConnectingEurope's validation release (EUPL 1.2): CRM_EINVOICING_DIR, else a
// `shared/einvoicing` folder beside the repository (walking up from here), else the identical copy
// kept in test/fixtures/einvoicing, so that a clone anywhere validates the same way.

const require = createRequire(import.meta.url);

export function einvoicingDir(): string {
  const fromEnv = process.env.CRM_EINVOICING_DIR;
  if (fromEnv) return resolve(fromEnv);
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = join(dir, 'shared', 'einvoicing');
    if (existsSync(join(candidate, 'EN16931-CII-validation.xslt'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(import.meta.dirname, 'fixtures', 'einvoicing');
    dir = parent;
  }
}

/** xmllint against the CII D16B XSD: the errors it prints (empty when valid). */
export function validateCiiXsd(xml: string): string[] {
  const schema = join(einvoicingDir(), 'cii-d16b', 'CrossIndustryInvoice_100pD16B.xsd');
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status === 0) return [];
  const errors = run.stderr.split('\n').filter((line) => line.trim() && !/ fails to validate$/.test(line));
  return errors.length > 0 ? errors : [`xmllint exited ${run.status}`];
}

let sefPath: string | null = null;

/**
 * The Schematron XSLT compiled to SaxonJS's SEF once, cached by the XSLT's sha256 (a new rules
 * release recompiles; repeated runs and test files share the compiled file: ~15 s saved each).
 */
export function en16931Sef(): string {
  if (sefPath) return sefPath;
  const xslt = join(einvoicingDir(), 'EN16931-CII-validation.xslt');
  const key = createHash('sha256').update(readFileSync(xslt)).digest('hex').slice(0, 32);
  const cacheDir = join(tmpdir(), 'crm-en16931-sef');
  const target = join(cacheDir, `${key}.sef.json`);
  if (!existsSync(target)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    const cli = join(dirname(require.resolve('xslt3/package.json')), 'xslt3.js');
    execFileSync(process.execPath, [cli, `-xsl:${xslt}`, `-export:${partial}`, '-nogo', '-relocate:on'], { stdio: 'pipe' });
    // Atomic: a parallel test file never reads a half-written SEF.
    renameSync(partial, target);
  }
  sefPath = target;
  return target;
}

export interface SchematronFailure {
  id: string;
  flag: string;
  location: string;
  text: string;
}

interface SaxonJsApi {
  transform(options: Record<string, unknown>, mode: 'sync'): { principalResult: string };
}

const decode = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Runs the EN 16931 CII rules; every `svrl:failed-assert` (fatal and warning) of the SVRL. */
export function validateEn16931(xml: string): SchematronFailure[] {
  const saxon = require('saxon-js') as SaxonJsApi;
  const svrl = saxon.transform({ stylesheetFileName: en16931Sef(), sourceText: xml, destination: 'serialized' }, 'sync').principalResult;
  if (!svrl.includes('schematron-output')) throw new Error('no SVRL output');
  const failures: SchematronFailure[] = [];
  for (const match of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attributes = match[1]!;
    const attribute = (name: string): string => decode(new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1] ?? '');
    const text = decode(/<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(match[2]!)?.[1] ?? '').trim();
    failures.push({ id: attribute('id'), flag: attribute('flag'), location: attribute('location'), text });
  }
  return failures;
}

/** Both checks: XSD errors and the fatal EN 16931 asserts (warnings are returned apart). */
export function validateCii(xml: string): { xsdErrors: string[]; fatal: SchematronFailure[]; warnings: SchematronFailure[] } {
  const failures = validateEn16931(xml);
  return {
    xsdErrors: validateCiiXsd(xml),
    fatal: failures.filter((failure) => failure.flag === 'fatal'),
    warnings: failures.filter((failure) => failure.flag !== 'fatal'),
  };
}
