import { test, describe, expect } from '../harness/database.ts';
import { deadlockLoop } from '../../runbooks/drills/faults.ts';
import { runbook } from './run-runbook.ts';

describe('error-spike runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('error-spike', ['--window', '500ms'], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });

  test('counts the deadlocks that happen during its window and names the database', async ({ database }) => {
    const fault = await deadlockLoop(database.url);
    try {
      const result = await runbook('error-spike', ['--window', '3s', '--json'], { url: database.url });
      expect(result.code, result.output).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.data.delta.deadlocks).toBeGreaterThan(0);
      expect(report.summary).toContain(`deadlock(s) in ${database.name}`);
    } finally {
      await fault.clear();
    }
  });

  test('Ctrl-C during a long sampling window stops at once with exit 130, not when the window ends', async ({ database }) => {
    let child: import('node:child_process').ChildProcess | undefined;
    const running = runbook('error-spike', ['--window', '60s'], { url: database.url, onSpawn: (c) => (child = c), timeoutMs: 50_000 });
    // Interrupt once it is connected and sampling (its session is visible), however slow the machine.
    const sessions = () =>
      database.pool
        .query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = 'runbook/error-spike'`)
        .then((r) => r.rows[0]!.n);
    await expect.poll(sessions, { timeout: 30_000, interval: 100 }).toBe(1);
    const interruptedAt = Date.now();
    child!.kill('SIGINT');
    const result = await running;
    expect(result.code, result.output).toBe(130);
    // It stops on Ctrl-C instead of sampling out its 60 s window, however loaded the machine.
    expect(Date.now() - interruptedAt).toBeLessThan(30_000);
    expect(result.stderr).toContain('aborted at step');
  });
});
