import { test, describe, expect } from '../harness/database.ts';
import { deadTuples } from '../../runbooks/drills/faults.ts';
import { runbook } from './run-runbook.ts';

describe('vacuum-bloat runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('vacuum-bloat', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });

  test('refuses an unknown table with exit 2 before anything runs', async ({ database }) => {
    const result = await runbook('vacuum-bloat', ['--table', 'no_such_table', '--execute', '--yes'], { url: database.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('table "no_such_table" does not exist');
    expect(result.stdout).not.toContain('WRITE MODE');
  });

  test('names the table full of dead tuples and clears them with VACUUM (ANALYZE) outside a transaction', async ({ database }) => {
    const fault = await deadTuples(database.url, 'products');
    try {
      const found = await runbook('vacuum-bloat', [], { url: database.url });
      expect(found.code, found.output).toBe(1);
      expect(found.stdout).toMatch(/✗ public\.products: \d+ dead .*AUTOVACUUM DISABLED/);

      const fixed = await runbook('vacuum-bloat', ['--execute', '--yes', '--table', 'products'], { url: database.url });
      expect(fixed.code, fixed.output).toBe(0);
      expect(fixed.stdout).toContain('✓ vacuum (analyze) public.products');
      const { rows } = await database.pool.query(
        `select n_dead_tup::int as dead, last_vacuum is not null as vacuumed from pg_stat_user_tables where relname = 'products'`,
      );
      expect(rows[0]).toEqual({ dead: 0, vacuumed: true });
    } finally {
      await fault.clear();
    }
  });
});
