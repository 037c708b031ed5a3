import { defineConfig } from 'vitest/config';

// Unit and integration tests of every package, on the real PostgreSQL (and NATS). The global
// setup creates one uniquely named, migrated database for the run; each test makes its own
// tenant, so files run in parallel. Browser tests live in apps/web (pnpm test:e2e).
export default defineConfig({
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'apps/*/{src,test}/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'apps/web/**'],
    globalSetup: ['./tooling/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The tests wait on PostgreSQL, NATS and child processes far more than they compute: three
    // files at a time on two cores (vitest's default is cores - 1 = one). Each test makes its own
    // tenant, so files never see each other's rows. Files share their worker's module cache
    // (isolate: false): importing the domain costs 2-3 s, which every file paid again before.
    maxWorkers: 3,
    isolate: false,
  },
});
