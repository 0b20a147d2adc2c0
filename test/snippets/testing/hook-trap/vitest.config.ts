// Runs the two *.trap.ts files in ONE worker with the settings the project uses
// (threads, isolate: false), so they share the module cache. Used only by
// test/snippets/testing/hook-trap.test.ts, which starts it as a child process.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.trap.ts'],
    pool: 'threads',
    isolate: false,
    maxWorkers: 1,
  },
});
