import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    // Per-file module isolation costs 200-300 ms a file on 2 cores; our isolation
    // is the per-file database clone instead (see test/harness/database.ts).
    pool: 'threads',
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
