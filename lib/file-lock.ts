// An exclusive lock that is a file holding its owner's pid, for work that several processes (or
// worker threads of one) may start at once: the site build for the browser tests, the browser's
// clipboard. The caller decides how to wait and when a holder counts as gone (lib/process-alive.ts).
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Creates the lock unless it exists; true when this caller now holds it. The pid is written to a
 * file of the caller's own first and then linked as the lock (link fails when the lock exists, like
 * open with 'wx'), so the lock never exists without the pid in it: a waiter that read it empty
 * could not tell a stale lock. The own file is named at random: worker threads share one pid.
 */
export function tryLock(lock: string): boolean {
  const own = `${lock}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(own, String(process.pid));
  try {
    linkSync(own, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(own, { force: true });
  }
}

/** The pid in the lock (0 when it holds none), or undefined when there is no lock (any more). */
export function lockHolder(lock: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(lock, 'utf8'), 10) || 0;
  } catch {
    return undefined;
  }
}
