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

// The monitoring and site layers run together, after the others: two files at a time, so the
// alert loop (one long file) leaves one worker to the browser tests.
const SECOND_GROUP_WORKERS = 2;

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
      // Second, beside the site (vitest wants one maxWorkers per group): the alert loop spends most
      // of its three minutes waiting for Prometheus, which leaves the other worker and the CPU to
      // Chromium, while the layers above need the CPU themselves.
      {
        extends: true,
        test: {
          name: 'monitoring',
          include: ['test/monitoring/**/*.test.ts'],
          globalSetup: DATABASE,
          maxWorkers: SECOND_GROUP_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      // After the database layers: the build it tests shows the verification record that the db
      // layer writes, and Chromium does not compete with them for two cores. One Chromium for the
      // layer (its global setup); each file opens its own contexts in it.
      {
        extends: true,
        test: {
          name: 'site',
          include: ['test/site/**/*.test.ts'],
          globalSetup: ['test/site/global-setup.ts'],
          maxWorkers: SECOND_GROUP_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
