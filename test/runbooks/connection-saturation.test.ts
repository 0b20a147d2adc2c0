import { test, describe, expect } from '../harness/database.ts';
import { idleInTransaction } from '../../runbooks/drills/faults.ts';
import { runbook } from './run-runbook.ts';

describe('connection-saturation runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('connection-saturation', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });

  test('flags every idle-in-transaction session by PID and terminates them with --execute --yes', async ({ database }) => {
    const fault = await idleInTransaction(database.url, 6);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const found = await runbook('connection-saturation', ['--older-than', '100ms'], { url: database.url });
      expect(found.code, found.output).toBe(1);
      for (const pid of fault.pids) expect(found.stdout).toContain(`PID ${pid} idle in transaction`);

      const capped = await runbook('connection-saturation', ['--older-than', '100ms', '--execute', '--yes', '--max-signals', '4'], { url: database.url });
      expect(capped.code, capped.output).toBe(1);
      expect(capped.stdout).toContain('stopped at --max-signals 4; 2 session(s) left');

      const fixed = await runbook('connection-saturation', ['--older-than', '100ms', '--execute', '--yes'], { url: database.url });
      expect(fixed.code, fixed.output).toBe(0);
      const { rows } = await database.pool.query('select count(*)::int as n from pg_stat_activity where pid = any($1)', [fault.pids]);
      expect(rows[0].n).toBe(0);
    } finally {
      await fault.clear();
    }
  });
});
