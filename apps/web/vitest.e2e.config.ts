import { defineConfig } from 'vitest/config';

// Browser tests: the built web app served by the real API on a fresh PostgreSQL database,
// driven by Playwright in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
