import { defineConfig } from 'vitest/config';
import { GROUPS } from './mutation-scope.mjs';

// The tests Stryker runs against each mutant (tooling/stryker/stryker.config.mjs): those of the
// group being mutated (CRM_MUTATION_TESTS, set by mutation.mjs), else every group's. No global
// setup: none of them touches PostgreSQL or NATS.
const only = process.env.CRM_MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    include: only ?? [...new Set(GROUPS.flatMap((group) => group.tests))],
    testTimeout: 30_000,
  },
});
