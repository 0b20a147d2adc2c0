import { test, describe, expect } from '../harness/database.ts';
import { holdLock } from '../../runbooks/drills/faults.ts';
import pg from 'pg';
import { runbook } from './run-runbook.ts';

describe('lock-contention runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('lock-contention', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('Verdict: HEALTHY');
  });

  test('names the PID that holds the lock, then cancels and terminates it with --execute --yes', async ({ database }) => {
    const fault = await holdLock(database.url, 2);
    try {
      const found = await runbook('lock-contention', ['--min-wait', '10ms', '--json'], { url: database.url });
      expect(found.code, found.output).toBe(1);
      const report = JSON.parse(found.stdout);
      expect(report.data.roots.map((root: { pid: number }) => root.pid)).toEqual([fault.holderPid]);
      expect(report.data.roots[0].waiters.sort()).toEqual([...fault.waiterPids].sort());
      expect(report.findings[0].text).toContain('update products set stock = stock where id = 1');

      const fixed = await runbook('lock-contention', ['--min-wait', '10ms', '--execute', '--yes'], { url: database.url });
      expect(fixed.code, fixed.output).toBe(0);
      expect(fixed.stdout).toContain(`cancelled the statement of PID ${fault.holderPid}`);
      expect(fixed.stdout).toContain(`terminated PID ${fault.holderPid}`);
      expect(fixed.stdout).toMatch(/WRITE MODE: .*database .*role /);
      const { rows } = await database.pool.query('select count(*)::int as n from pg_stat_activity where pid = $1', [fault.holderPid]);
      expect(rows[0].n).toBe(0);
    } finally {
      await fault.clear();
    }
  });

  test('reports a transaction open longer than --tx-older-than even when it blocks nobody (the long-transaction alert)', async ({
    database,
  }) => {
    const idle = new pg.Client({ connectionString: database.url, application_name: 'forgotten-transaction' });
    await idle.connect();
    await idle.query('begin');
    const { rows } = await idle.query('select pg_backend_pid() as pid');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const found = await runbook('lock-contention', ['--tx-older-than', '1s'], { url: database.url });
      expect(found.code, found.output).toBe(1);
      expect(found.stdout).toContain(`PID ${rows[0].pid} (`);
      expect(found.stdout).toContain('forgotten-transaction');
      expect(found.stdout).toContain('blocking nobody yet');
      const defaults = await runbook('lock-contention', [], { url: database.url });
      expect(defaults.code, 'a 1 s old transaction is well under the default limit').toBe(0);
    } finally {
      await idle.end();
    }
  });
});
