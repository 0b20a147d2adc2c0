import { test, describe, expect } from '../harness/database.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { releaseLive } from '../../runbooks/drills/faults.ts';
import { readDataLayerFlag } from '../../snippets/app/data-layer-switch.ts';
import { runbook } from './run-runbook.ts';

describe('rollback runbook', () => {
  test('exits 0 on a healthy database and shows the migration it would roll back', async ({ database }) => {
    await releaseLive(database.url);
    const result = await runbook('rollback', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('data_layer = kysely');
    expect(result.stdout).toContain('newest migration 0004-index-orders-by-customer');
  });

  test('exits 1 naming the flag when data_layer holds a value the app does not know', async ({ database }) => {
    await database.pool.query(`update feature_flags set value = 'kysley' where key = 'data_layer'`);
    try {
      const result = await runbook('rollback', [], { url: database.url });
      expect(result.code, result.output).toBe(1);
      expect(result.stdout).toContain('the data_layer flag is "kysley"');
    } finally {
      await database.pool.query(`update feature_flags set value = 'kysely' where key = 'data_layer'`);
    }
  });

  test('switches to legacy, rolls back the newest migration, proves no rows were lost and audits every write', async ({ database }) => {
    await releaseLive(database.url);
    const auditLog = join(tmpdir(), `handbook-audit-rollback-${database.name}.jsonl`);
    const result = await runbook('rollback', ['--execute', '--yes', '--audit-log', auditLog], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('✓ rolled back migration 0004-index-orders-by-customer');
    expect(result.stdout).toMatch(/✓ no rows lost: categories \d+, products \d+/);
    expect(await readDataLayerFlag(database.db)).toBe('legacy');
    const { rows } = await database.pool.query(`select name from kysely_migration order by name`);
    expect(rows.map((r) => r.name)).not.toContain('0004-index-orders-by-customer');
    const { rows: index } = await database.pool.query(`select to_regclass('orders_customer_id_created_at_idx') as idx`);
    expect(index[0].idx).toBeNull();

    const entries = readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(entries.map((e) => e.step)).toEqual(['switch-to-legacy', 'migrate-down']);
    expect(entries[1].sql).toMatch(/drop index "orders_customer_id_created_at_idx"/);
    for (const entry of entries) {
      expect(entry).toMatchObject({ runbook: 'rollback', operator: expect.any(String), time: expect.any(String) });
      expect(entry.outcome).toMatch(/^ok/);
    }
  });
});
