import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The suite in layers, one vitest project each, chosen by folder (`npm run test:<layer>`):
//   unit        no database, no binaries            test/unit
//   db          the Storefront, snippets, training  test/db, test/snippets, test/bench
//   runbooks    drills, runbooks and the harness    test/runbooks, test/processes
//               as processes
//   monitoring  promtool, amtool and the service    test/monitoring
//   site        the built site in Chromium          test/site
// Only the layers that talk to PostgreSQL start it (test/harness/global-setup.ts); they
// share one server and one seeded template per vitest process.
const DATABASE = ['test/harness/global-setup.ts'];

// Most test time is spent waiting on PostgreSQL and on child processes (runbooks, CLIs,
// promtool), not on this process's CPU, so the layers before the site run two files per
// core. vitest's default (cores - 1) ran the whole suite one file at a time on 2 cores.
const WAITING_WORKERS = Math.max(2, availableParallelism() * 2);

// Every test starts runbooks, scripts and CLIs as fresh `node` processes (about a hundred
// runbook runs alone). Node's on-disk compile cache, keyed by file content and Node version,
// halves the CPU each of them spends loading the same modules again.
process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, 'node_modules/.cache/node-compile');

export default defineConfig({
  test: {
    // Per-file module isolation costs 200-300 ms a file on 2 cores; our isolation
    // is the per-file database clone instead (see test/harness/database.ts).
    pool: 'threads',
    isolate: false,
    // Timeouts for a shared, loaded 2-core machine: a test that needs more is waiting on
    // something that will not come, and a polled condition says what it was waiting for.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    maxWorkers: WAITING_WORKERS,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts', 'test/snippets/**/*.test.ts', 'test/bench/**/*.test.ts'],
          globalSetup: DATABASE,
        },
      },
      {
        extends: true,
        test: { name: 'runbooks', include: ['test/runbooks/**/*.test.ts', 'test/processes/**/*.test.ts'], globalSetup: DATABASE },
      },
      { extends: true, test: { name: 'monitoring', include: ['test/monitoring/**/*.test.ts'], globalSetup: DATABASE } },
      // Last, on its own: the build it tests shows the verification record that the db layer
      // writes, and Chromium does not then compete with the database layers for two cores.
      // One Chromium for the layer (its global setup), driven by one file at a time.
      {
        extends: true,
        test: {
          name: 'site',
          include: ['test/site/**/*.test.ts'],
          globalSetup: ['test/site/global-setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
