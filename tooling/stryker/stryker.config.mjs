// Mutation testing of the rule files: StrykerJS changes one thing at a time in them (an operator,
// a condition, a constant...) and runs the tests that cover it; a change no test notices is a
// test missing. `pnpm mutation` (mutation.mjs) runs it group by group (mutation-scope.mjs);
// `pnpm exec stryker run tooling/stryker/stryker.config.mjs` runs every group in one go (slower:
// a static mutant then runs every test). Not in CI: several minutes.
import { GROUPS } from './mutation-scope.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'tooling/stryker/vitest.config.ts', related: false },
  mutate: GROUPS.flatMap((group) => group.files),
  coverageAnalysis: 'perTest',
  // A 2-core machine shared with others.
  concurrency: 2,
  // pnpm's per-package node_modules are symlinks that a sandbox copy would not resolve: mutate in
  // place (Stryker puts the files back when it ends, even on Ctrl-C; do not edit them meanwhile).
  inPlace: true,
  // Vitest does not type-check, so no file needs Stryker's "@ts-nocheck" rewrite.
  disableTypeChecks: false,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: 80 },
  timeoutMS: 10_000,
  tempDirName: 'reports/mutation/.stryker-tmp',
  cleanTempDir: 'always',
};
