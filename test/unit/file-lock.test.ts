// The lock behind the site build and the clipboard of the browser tests (lib/file-lock.ts): one
// holder at a time, its pid readable, and worker threads of one process (which share a pid) racing
// for it without tripping over each other's files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, test } from 'vitest';
import { lockHolder, tryLock } from '../../lib/file-lock.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'handbook-file-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('one holder at a time, naming its pid; free again once removed', () => {
  const lock = join(dir, 'one.lock');
  expect(lockHolder(lock)).toBeUndefined();
  expect(tryLock(lock)).toBe(true);
  expect(tryLock(lock)).toBe(false);
  expect(lockHolder(lock)).toBe(process.pid);
  rmSync(lock);
  expect(tryLock(lock)).toBe(true);
});

test('worker threads racing for it never hold it together and never fail', async () => {
  const lock = join(dir, 'race.lock');
  const holders = new Int32Array(new SharedArrayBuffer(8)); // [now holding, most at once]
  const source = `
    import { workerData } from 'node:worker_threads';
    import { rmSync } from 'node:fs';
    const { tryLock } = await import(workerData.module);
    const holders = new Int32Array(workerData.shared);
    for (let round = 0; round < 300; round++) {
      if (!tryLock(workerData.lock)) continue;
      const now = Atomics.add(holders, 0, 1) + 1;
      if (now > Atomics.load(holders, 1)) Atomics.store(holders, 1, now);
      Atomics.sub(holders, 0, 1);
      rmSync(workerData.lock);
    }`;
  const module = pathToFileURL(join(PROJECT_ROOT, 'lib/file-lock.ts')).href;
  const exits = Array.from({ length: 4 }, () => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
      workerData: { module, lock, shared: holders.buffer },
    });
    return new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
    });
  });
  await Promise.all(exits);
  expect(holders[1]).toBe(1);
});
