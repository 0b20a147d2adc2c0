import { test, describe, expect } from '../harness/database.ts';
import { longQuery } from '../../runbooks/drills/faults.ts';
import { runbook } from './run-runbook.ts';

describe('slow-queries runbook', () => {
  test('exits 0 on a healthy database and says how to enable pg_stat_statements when it is missing', async ({ database }) => {
    const result = await runbook('slow-queries', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('CREATE EXTENSION pg_stat_statements');
  });

  test('lists top statements of this database once pg_stat_statements is created', async ({ database, skip }) => {
    const { rows } = await database.pool.query(
      `select current_setting('shared_preload_libraries') like '%pg_stat_statements%' as preloaded`,
    );
    if (!rows[0].preloaded) skip('pg_stat_statements is not in shared_preload_libraries on this server');
    await database.pool.query('create extension if not exists pg_stat_statements');
    await database.pool.query(`select count(*) as runbook_marker from orders`);
    const result = await runbook('slow-queries', ['--json', '--top', '50'], { url: database.url });
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.data.topStatements.some((row: { query: string }) => row.query.includes('runbook_marker'))).toBe(true);
  });

  test('names the PID and statement of a long pg_sleep and EXPLAINs it without running it', async ({ database }) => {
    const sleepSeconds = 60;
    const fault = await longQuery(database.url, sleepSeconds);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const pid = fault.pids[0]!;
      const result = await runbook('slow-queries', ['--longer-than', '200ms', '--window', '500ms', '--explain-pid', String(pid)], {
        url: database.url,
      });
      expect(result.code, result.output).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`PID ${pid} has run for .*select pg_sleep`));
      expect(result.stdout).toContain(`plan of PID ${pid}`);
      expect(result.stdout).toContain('Result');
      // A plan, not an execution: EXPLAIN ANALYZE would print actual times, and would have
      // waited for the whole pg_sleep.
      expect(result.stdout).not.toMatch(/actual time=/);
      expect(result.ms).toBeLessThan(sleepSeconds * 1000);
    } finally {
      await fault.clear();
    }
  });
});
