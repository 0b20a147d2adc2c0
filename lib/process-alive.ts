// Whether a process is still running, for the code that cleans up after processes that died:
// the embedded server's orphan sweep and the locks of lib/file-lock.ts.
import { existsSync, readFileSync } from 'node:fs';

/** True while `pid` runs (as any user); false for no pid (0 or less), a gone process or a zombie. */
export function isAlive(pid: number): boolean {
  // Signal 0 to pid 0 or below would reach a process group, which always answers.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    // An exited child that nobody reaped yet (a zombie) still answers signal 0.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
