// `pnpm mutation [--force] [group...]`: mutation testing of the rule files, one Stryker run per
// group of mutation-scope.mjs (incremental: a second run re-tests only what changed; --force
// re-tests everything), then the score per file and in total. Fails when a file or the total is
// under 80 %. Reports in reports/mutation/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Stryker } from '@stryker-mutator/core';
import { GROUPS } from './mutation-scope.mjs';
import base from './stryker.config.mjs';

const THRESHOLD = 80;
const force = process.argv.includes('--force');
const asked = process.argv.slice(2).filter((arg) => arg !== '--force');
const unknown = asked.filter((name) => !GROUPS.some((group) => group.name === name));
if (unknown.length > 0) {
  console.error(`Unknown group(s): ${unknown.join(', ')}. Groups: ${GROUPS.map((group) => group.name).join(', ')}`);
  process.exit(2);
}
const groups = asked.length > 0 ? GROUPS.filter((group) => asked.includes(group.name)) : GROUPS;

/** file -> counts of each mutant status */
const byFile = new Map();
const started = Date.now();
for (const group of groups) {
  console.log(`\n=== ${group.name}: ${group.files.join(', ')}`);
  process.env.CRM_MUTATION_TESTS = group.tests.join(',');
  const results = await new Stryker({
    ...base,
    mutate: group.files,
    incrementalFile: `reports/mutation/${group.name}.incremental.json`,
    htmlReporter: { fileName: `reports/mutation/${group.name}.html` },
    jsonReporter: { fileName: `reports/mutation/${group.name}.json` },
    reporters: ['progress', 'html', 'json'],
    thresholds: { ...base.thresholds, break: null },
    force,
  }).runMutationTest();
  for (const result of results) {
    const counts = byFile.get(result.fileName) ?? {};
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    byFile.set(result.fileName, counts);
  }
}

// Stryker's mutation score: detected (killed, timeout) over valid mutants (+ survived, no coverage).
const score = (c) => {
  const detected = (c.Killed ?? 0) + (c.Timeout ?? 0);
  const valid = detected + (c.Survived ?? 0) + (c.NoCoverage ?? 0);
  return { detected, valid, percent: valid === 0 ? 100 : (100 * detected) / valid };
};
const rows = [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b));
const total = {};
for (const [, counts] of rows) for (const [status, n] of Object.entries(counts)) total[status] = (total[status] ?? 0) + n;
const line = (name, c) => {
  const s = score(c);
  return `${s.percent.toFixed(2).padStart(7)} %  ${String(c.Killed ?? 0).padStart(5)} ${String(c.Timeout ?? 0).padStart(7)} ${String(c.Survived ?? 0).padStart(8)} ${String(c.NoCoverage ?? 0).padStart(11)} ${String(c.Ignored ?? 0).padStart(7)}  ${name}`;
};
const table = [
  `    score  killed timeout survived no coverage ignored  file`,
  ...rows.map(([file, counts]) => line(file.replace(`${process.cwd()}/`, ''), counts)),
  line('total', total),
].join('\n');
console.log(`\n${table}\n\n${Math.round((Date.now() - started) / 1000)} s; reports in reports/mutation/`);
mkdirSync('reports/mutation', { recursive: true });
writeFileSync('reports/mutation/scores.txt', `${table}\n`);
const under = rows.filter(([, counts]) => score(counts).percent < THRESHOLD).map(([file]) => file.replace(`${process.cwd()}/`, ''));
if (under.length > 0 || score(total).percent < THRESHOLD) {
  console.error(`Under ${THRESHOLD} %: ${under.join(', ') || 'total'}`);
  process.exitCode = 1;
}
