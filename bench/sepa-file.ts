import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { buildSepaDirectDebitFile, type SepaDirectDebit, type SepaDirectDebitFileInput } from '@crm/domain';
import { fmt } from './harness.ts';

// One pain.008.001.08 file of 100k debits (goal: <= 3 s on this 2-core machine), against two
// baselines on the same data in the same run: JSON.stringify of the input, and the debits'
// fields concatenated into lines with no XML, no validation, no transliteration. ABAB, twice each.
const COUNT = Number(process.env.BENCH_DEBITS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const GOAL_MS = 3_000;
const SHARED_XSD = path.resolve(import.meta.dirname, '..', '..', 'shared', 'iso20022', 'pain.008.001.08.xsd');
const XSD = existsSync(SHARED_XSD) ? SHARED_XSD : path.resolve(import.meta.dirname, '..', 'packages', 'domain', 'test', 'fixtures', 'iso20022', 'pain.008.001.08.xsd');

/** ISO 7064 mod 97 of a digit-and-letter string, in chunks (no BigInt needed). */
function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** A distinct, valid French IBAN per debtor (RIB key and IBAN check digits computed). */
function frenchIban(n: number): string {
  const bank = String(10_000 + (n % 80_000)).padStart(5, '0');
  const branch = String(n % 100_000).padStart(5, '0');
  const account = String(n).padStart(11, '0');
  const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * (Number(account) % 97)) % 97);
  const bban = `${bank}${branch}${account}${String(key).padStart(2, '0')}`;
  return `FR${String(98 - mod97(`${bban}FR00`)).padStart(2, '0')}${bban}`;
}

const FIRST = ['Françoise', 'Jérôme', 'Hélène', 'Gaëlle', 'Noël', 'Zoé', 'Loïc', 'Amélie', 'Benoît', 'Cécile'];
const LAST = ['Lefèvre', 'Müller', 'Œhmichen', 'Dubois', "D'Arçy", 'Garçon', 'Bénard', 'Ménard', 'Faure', 'Rousseau'];
const TOWNS = ['Orléans', 'Besançon', 'Saint-Étienne', 'Nîmes', 'Paris', 'Lyon', 'Montréal-la-Cluse', 'Évry'];

function debits(count: number): SepaDirectDebit[] {
  return Array.from({ length: count }, (_, i) => ({
    endToEndId: `E2E-2026-${String(i).padStart(8, '0')}`,
    amountCents: 990 + ((i * 7919) % 250_000),
    sequenceType: i % 10 === 0 ? 'FRST' : 'RCUR',
    collectionDate: i % 3 === 0 ? '2026-12-07' : '2026-12-10',
    mandateId: `RUM-2026-${String(i).padStart(8, '0')}`,
    mandateSignatureDate: '2026-10-15',
    amendment: i % 50 === 0 ? { originalMandateId: `OLD-${i}` } : i % 77 === 0 ? { debtorBankChanged: true } : null,
    debtor: {
      name: `${FIRST[i % FIRST.length]} ${LAST[(i >> 3) % LAST.length]}`,
      iban: frenchIban(i),
      bic: i % 2 === 0 ? 'AGRIFRPPXXX' : null,
      address: { streetName: `${1 + (i % 120)} rue de l’Église`, postalCode: String(10_000 + (i % 85_000)), townName: TOWNS[i % TOWNS.length]!, country: 'FR' },
    },
    remittanceInformation: `Contrat C-${i} – échéance de décembre 2026`,
  }));
}

const input: SepaDirectDebitFileInput = {
  version: 'pain.008.001.08',
  messageId: 'B2026-000001',
  createdAt: '2026-12-01T09:30:00',
  creditor: {
    name: 'Énergies Douces SAS',
    iban: 'FR7630006000011234567890189',
    bic: 'AGRIFRPP',
    creditorId: 'FR72ZZZ123456',
    address: { streetName: 'Rue de la Paix', buildingNumber: '12', postalCode: '75002', townName: 'Paris', country: 'FR' },
  },
  debits: debits(COUNT),
};

/** Baseline: the same fields, one line per debit, no structure, no checks. */
function concatenate(all: readonly SepaDirectDebit[]): string {
  const lines: string[] = [];
  for (const d of all) {
    const a = d.debtor.address;
    lines.push(
      `${d.endToEndId};${d.amountCents};${d.sequenceType};${d.collectionDate};${d.mandateId};${d.mandateSignatureDate};${d.debtor.name};${d.debtor.iban};${d.debtor.bic ?? ''};` +
        `${a?.streetName ?? ''};${a?.postalCode ?? ''};${a?.townName ?? ''};${a?.country ?? ''};${d.remittanceInformation ?? ''}\n`,
    );
  }
  return lines.join('');
}

interface Run {
  ms: number;
  cpuMs: number;
  bytes: number;
}

function measure(work: () => string): Run {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const out = work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1_000, bytes: Buffer.byteLength(out) };
}

const subjects = {
  file: () => buildSepaDirectDebitFile(input).xml,
  json: () => JSON.stringify(input.debits),
  concat: () => concatenate(input.debits),
};
type Name = keyof typeof subjects;
const runs: Record<Name, Run[]> = { file: [], json: [], concat: [] };

// Warm-up (JIT), then ABAB.
subjects.file();
subjects.json();
subjects.concat();
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(subjects) as Name[]) runs[name].push(measure(subjects[name]));
}

const mean = (rs: Run[], pick: (r: Run) => number) => rs.reduce((s, r) => s + pick(r), 0) / rs.length;
const row = (label: string, rs: Run[]) =>
  `| ${label.padEnd(52)} | ${fmt(mean(rs, (r) => r.ms)).padStart(7)} | ${fmt(Math.min(...rs.map((r) => r.ms))).padStart(7)} | ${fmt(mean(rs, (r) => r.cpuMs)).padStart(7)} | ${fmt(rs[0]!.bytes / 1_048_576, 1).padStart(6)} |`;

console.log(`\nSEPA pain.008.001.08, ${COUNT.toLocaleString('en-US')} debits in one file, ${ROUNDS} rounds (ABAB), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| run                                                  | mean ms |  best ms |  cpu ms |     MB |');
console.log('|------------------------------------------------------|--------:|--------:|--------:|-------:|');
console.log(row('buildSepaDirectDebitFile (validate, transliterate, XML)', runs.file));
console.log(row('baseline: JSON.stringify of the same debits', runs.json));
console.log(row('baseline: fields concatenated, no XML, no checks', runs.concat));
const fileMs = mean(runs.file, (r) => r.ms);
console.log(
  `\nratios: file / JSON.stringify = ${fmt(fileMs / mean(runs.json, (r) => r.ms), 1)}; file / concatenation = ${fmt(fileMs / mean(runs.concat, (r) => r.ms), 1)}; ` +
    `${fmt((COUNT / fileMs) * 1000)} debits/s`,
);
console.log(`goal "100k debits <= 3 s": ${fileMs * (100_000 / COUNT) <= GOAL_MS ? 'MET' : 'NOT MET'} (mean ${fmt(fileMs)} ms${COUNT === 100_000 ? '' : ', scaled to 100k'})`);

// The big file once through the official schema.
if (!existsSync(XSD)) {
  console.log(`\nxmllint: SKIPPED, ${XSD} not found (the ISO 20022 schemas are expected in <repo>/../shared/iso20022)`);
  process.exitCode = 1;
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'sepa-bench-'));
  try {
    const file = path.join(dir, 'pain.008.001.08.xml');
    writeFileSync(file, subjects.file());
    const started = performance.now();
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    const verdict = lint.status === 0 ? 'VALID' : 'INVALID';
    console.log(`\nxmllint --schema pain.008.001.08.xsd on the ${COUNT.toLocaleString('en-US')}-debit file: ${verdict} (${fmt(seconds, 1)} s)`);
    if (lint.status !== 0) {
      console.log((lint.error?.message ?? `${lint.stdout}${lint.stderr}`).slice(0, 2_000));
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
