// `npm test` is only worth running if a failing test makes it fail. The embedded server
// once hid that: a library exit hook ended every run with code 0. These tests run the real
// harness in a subprocess, on the embedded server and on a server named by DATABASE_URL,
// and check the exit code a shell (and CI) sees; plus a script that starts the server.
import { existsSync } from 'node:fs';
import { inject, test } from 'vitest';
import { OUTSIDE_VITEST, runNode, type RunOptions } from '../support/run-command.ts';

const VITEST = ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/fixtures/exit-codes/vitest.config.ts'];
// The child must pick the database itself, never inherit this run's vitest state.
const EMBEDDED = {
  env: { ...OUTSIDE_VITEST, HANDBOOK_DB: 'embedded', DATABASE_URL: undefined },
  timeoutMs: 170_000,
} satisfies RunOptions;

const vitest = (file: string, options: RunOptions) => runNode([...VITEST, file], options);

// Each test is a separate process with a server of its own, mostly waiting on initdb and
// start-up: they run side by side, so the file takes as long as its slowest run, not the sum.

test.concurrent(
  'on the embedded server, a failing test file makes the run exit 1 and a passing one exits 0',
  async ({ expect }) => {
    const [failing, passing] = await Promise.all([vitest('failing', EMBEDDED), vitest('passing', EMBEDDED)]);
    expect(failing.output).toMatch(/using embedded PostgreSQL/);
    expect(failing.output).toMatch(/1 failed/);
    expect(failing.code).toBe(1);

    expect(passing.output).toMatch(/1 passed/);
    expect(passing.code).toBe(0);
  },
  360_000,
);

test.concurrent(
  'with DATABASE_URL, a failing test file makes the run exit 1',
  async ({ expect }) => {
    const failing = await vitest('failing', { ...EMBEDDED, env: { ...EMBEDDED.env, DATABASE_URL: inject('adminUrl') } });
    expect(failing.output).toMatch(/using DATABASE_URL/);
    expect(failing.code).toBe(1);
  },
  180_000,
);

test.concurrent(
  'Ctrl-C ends a run on the embedded server with exit 130 and leaves no server behind',
  async ({ expect }) => {
    let dataDir = '';
    const interrupted = await runNode([...VITEST, 'waiting'], {
      ...EMBEDDED,
      onSpawn: (child) => {
        let seen = '';
        let sent = false;
        const watch = (chunk: Buffer) => {
          seen += chunk.toString();
          dataDir ||= /data in (\S+)\)/.exec(seen)?.[1] ?? '';
          // Once: a second Ctrl-C makes vitest force its exit, which is a different path.
          if (!sent && dataDir && seen.includes('waiting for Ctrl-C')) {
            sent = true;
            child.kill('SIGINT');
          }
        };
        child.stdout!.on('data', watch);
        child.stderr!.on('data', watch);
      },
    });
    expect(dataDir).not.toBe('');
    expect(interrupted.code).toBe(130);
    await expect.poll(() => existsSync(dataDir), { timeout: 10_000 }).toBe(false);
  },
  180_000,
);

test.concurrent(
  'a script that starts the embedded server keeps its exit code (an untouched exercise fails its checks)',
  async ({ expect }) => {
    const exercise = await runNode(['scripts/exercise.ts', '1'], EMBEDDED);
    expect(exercise.output).toMatch(/using embedded PostgreSQL/);
    expect(exercise.code).toBe(1);
  },
  180_000,
);
