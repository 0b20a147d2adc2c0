// `npm run sandbox` and `npm run drill`, run as child processes the way a trainee runs
// them. Their state goes to a temporary HANDBOOK_STATE_DIR, never to a sandbox you have open.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { cloneTemplate, describe, expect, test } from '../harness/database.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { runNode } from '../support/run-command.ts';
import { runbook } from './run-runbook.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'handbook-practice-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

/** Starts a script and resolves once its output contains `ready`. */
function start(script: string, args: string[], ready: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HANDBOOK_STATE_DIR: stateDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} never printed "${ready}":\n${text}`)), 60_000);
    const onData = (chunk: Buffer) => {
      text += String(chunk);
      if (text.includes(ready)) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} exited ${code} early:\n${text}`)));
  });
}

const run = (script: string, args: string[]) =>
  runNode([script, ...args], { env: { HANDBOOK_STATE_DIR: stateDir, DATABASE_URL: undefined } });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

describe('practising with the sandbox and drills', () => {
  test('npm run sandbox serves a seeded Storefront, records its URL for drills, and cleans up on Ctrl-C', async () => {
    const sandbox = await start('scripts/sandbox.ts', [], 'Press Ctrl-C');
    const state = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8')) as { url: string };
    expect(sandbox.output()).toContain(`export DATABASE_URL='${state.url}'`);
    const client = new pg.Client(state.url);
    await client.connect();
    const { rows } = await client.query(`select count(*)::int as products from products`);
    await client.end();
    expect(rows[0].products).toBeGreaterThan(1000);

    sandbox.child.kill('SIGINT');
    await exited(sandbox.child);
    // 130 is the conventional status after Ctrl-C; either way it must have cleaned up.
    expect([0, 130]).toContain(sandbox.child.exitCode);
    expect(existsSync(join(stateDir, 'sandbox.json'))).toBe(false);
    const gone = new pg.Client({ connectionString: state.url, connectionTimeoutMillis: 2000 });
    await expect(gone.connect()).rejects.toThrow();
  });

  test('a drill that holds connections keeps its fault until --clear, and the runbook sees it come and go', async () => {
    const clone = await cloneTemplate();
    try {
      const drill = await start('scripts/drill.ts', ['lock', '--database-url', clone.url], 'This process holds the fault');
      // The runbook reports sessions that have waited at least --min-wait.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const found = await runbook('lock-contention', ['--min-wait', '1s'], { url: clone.url, env: { HANDBOOK_STATE_DIR: stateDir } });
      expect(found.code, found.output).toBe(1);
      expect(found.stdout).toContain('drill/lock-holder');

      const cleared = await run('scripts/drill.ts', ['--clear', '--database-url', clone.url]);
      expect(cleared.code, cleared.output).toBe(0);
      await exited(drill.child);
      const after = await runbook('lock-contention', ['--min-wait', '1s'], { url: clone.url });
      expect(after.code, after.output).toBe(0);
    } finally {
      await clone.drop();
    }
  });

  test('a drill that changes data (dead tuples) is found by its runbook and undone by --clear', async () => {
    const clone = await cloneTemplate();
    try {
      const injected = await run('scripts/drill.ts', ['dead-tuples', '--database-url', clone.url]);
      expect(injected.code, injected.output).toBe(0);
      expect((await runbook('vacuum-bloat', [], { url: clone.url })).code).toBe(1);
      expect((await run('scripts/drill.ts', ['--clear', '--database-url', clone.url])).code).toBe(0);
      const after = await runbook('vacuum-bloat', [], { url: clone.url });
      expect(after.code, after.output).toBe(0);
    } finally {
      await clone.drop();
    }
  });

  test('an unknown fault is bad usage (exit 2), and nothing is injected', async () => {
    const result = await run('scripts/drill.ts', ['meteor-strike', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('Unknown fault "meteor-strike"');
  });
});
