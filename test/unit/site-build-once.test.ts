// Every browser test file asks for the site build when vitest collects it, and a second test run
// may ask at the same moment: buildOnce (scripts/site/built-site.ts) must build once for all of
// them and hand each the finished folder. The build is injected (test/unit/fixtures/
// build-once-caller.ts counts its builds), so no Astro runs here.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../../scripts/site/built-site.ts';
import { runNode } from '../support/run-command.ts';
import { countedBuild } from './fixtures/build-once-caller.ts';

const root = mkdtempSync(join(tmpdir(), 'handbook-build-once-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cases = 0;
/** A folder of its own for each test: the build goes to <dir>/site, the count to <dir>/builds.log. */
function scratch() {
  const dir = join(root, String(++cases));
  mkdirSync(dir);
  return { dir, outDir: join(dir, 'site'), log: join(dir, 'builds.log') };
}
const buildsIn = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);

describe('building the site once for the browser tests', () => {
  test('two callers at once in one process: one builds, the other waits for it and gets the same folder', async () => {
    const { dir, outDir, log } = scratch();
    const built = await Promise.all([
      buildOnce(outDir, countedBuild(log), { pollMs: 20 }),
      buildOnce(outDir, countedBuild(log), { pollMs: 20 }),
    ]);
    expect(buildsIn(log), 'builds started').toBe(1);
    expect(built.sort()).toEqual([false, true]);
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain('built');
    expect(readdirSync(dir).sort(), 'no lock or half-built folder left').toEqual(['builds.log', 'site']);
  });

  test('two callers at once in two processes: one builds, the other reuses its build', async () => {
    const { outDir, log } = scratch();
    const runs = await Promise.all([1, 2].map(() => runNode(['test/unit/fixtures/build-once-caller.ts', outDir, log, '2'])));
    for (const run of runs) expect(run.code, run.output).toBe(0);
    expect(buildsIn(log), 'builds started').toBe(1);
    expect(runs.map((run) => run.stdout.trim()).sort()).toEqual(['built', 'reused']);
  });

  test('a lock left by a process that died mid-build is taken over', async () => {
    const { outDir, log } = scratch();
    const gone = await runNode(['-e', 'console.log(process.pid)']);
    writeFileSync(`${outDir}.lock`, gone.stdout.trim());
    expect(await buildOnce(outDir, countedBuild(log, 50), { pollMs: 20 })).toBe(true);
    expect(buildsIn(log)).toBe(1);
    expect(existsSync(`${outDir}.lock`)).toBe(false);
  });

  test('a failed build releases the lock, and the caller that waited for it builds instead', async () => {
    const { dir, outDir, log } = scratch();
    const failing = buildOnce(
      outDir,
      async () => {
        await sleep(200);
        throw new Error('astro build failed');
      },
      { pollMs: 20 },
    );
    const waiting = buildOnce(outDir, countedBuild(log, 50), { pollMs: 20 });
    await expect(failing).rejects.toThrow('astro build failed');
    expect(await waiting).toBe(true);
    expect(buildsIn(log)).toBe(1);
    expect(readdirSync(dir).sort(), 'no lock or half-built folder left').toEqual(['builds.log', 'site']);
  });
});
