import { test, describe, expect } from '../harness/database.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { releaseLive } from '../../runbooks/drills/faults.ts';
import { readDataLayerFlag } from '../../snippets/app/data-layer-switch.ts';
import { runbook } from './run-runbook.ts';
import { emptyDatabase } from '../harness/database.ts';
import { createPool } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { startStorefrontService } from '../../snippets/service/storefront-service.ts';

async function health(url: string) {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

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

  test('--method rolls back one repository method only: its stage row reads legacy, the global flag and the schema stay', async ({
    database,
  }) => {
    await releaseLive(database.url);
    const migrationsBefore = (await database.pool.query('select count(*)::int as n from kysely_migration')).rows[0].n;
    const result = await runbook('rollback', ['--execute', '--yes', '--method', 'listProducts'], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('listProducts switched to legacy');
    const rows = (await database.pool.query(`select key, value from feature_flags where key like 'data_layer%' order by key`)).rows;
    expect(rows).toContainEqual({ key: 'data_layer', value: 'kysely' });
    expect(rows).toContainEqual({ key: 'data_layer:listProducts', value: 'legacy' });
    expect((await database.pool.query('select count(*)::int as n from kysely_migration')).rows[0].n).toBe(migrationsBefore);

    const unknown = await runbook('rollback', ['--execute', '--yes', '--method', 'dropEverything'], { url: database.url });
    expect(unknown.code, unknown.output).toBe(2);
    expect(unknown.output).toMatch(/--method must be one of .*listProducts/);
  });

  test('switches to legacy, rolls back the newest migration, proves no rows were lost and audits every write', async ({ database }) => {
    await releaseLive(database.url);
    const auditLog = join(tmpdir(), `handbook-audit-rollback-${database.name}.jsonl`);
    const result = await runbook('rollback', ['--execute', '--yes', '--audit-log', auditLog], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('✓ rolled back migration 0004-index-orders-by-customer');
    expect(result.stdout).toMatch(/✓ no rows lost: categories (\d+) → \1, products (\d+) → \2/);
    expect(await readDataLayerFlag(database.db)).toBe('legacy');
    const { rows } = await database.pool.query(`select name from kysely_migration order by name`);
    expect(rows.map((r) => r.name)).not.toContain('0004-index-orders-by-customer');
    const { rows: index } = await database.pool.query(`select to_regclass('orders_customer_id_created_at_idx') as idx`);
    expect(index[0].idx).toBeNull();

    const entries = readFileSync(auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((e) => e.step)).toEqual(['switch-to-legacy', 'migrate-down']);
    expect(entries[1].sql).toMatch(/set lock_timeout = '\d+ms';\ndrop index concurrently if exists orders_customer_id_created_at_idx;/);
    for (const entry of entries) {
      expect(entry).toMatchObject({ runbook: 'rollback', operator: expect.any(String), time: expect.any(String) });
      expect(entry.outcome).toMatch(/^ok/);
    }
  });

  test('a re-run never peels off another migration: it keeps the schema unless --migration names the newest, and never goes below the baseline', async ({
    database,
  }) => {
    await releaseLive(database.url);
    const first = await runbook('rollback', ['--execute', '--yes'], { url: database.url });
    expect(first.code, first.output).toBe(0);

    const again = await runbook('rollback', ['--execute', '--yes'], { url: database.url });
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toContain('already reads legacy, so the schema was left as it is');
    const applied = async () => (await database.pool.query(`select name from kysely_migration order by name`)).rows.map((r) => r.name);
    expect(await applied()).toContain('0003-create-feature-flags');

    const baseline = await runbook('rollback', ['--execute', '--yes', '--migration', '0003-create-feature-flags'], { url: database.url });
    expect(baseline.code, baseline.output).toBe(1);
    expect(baseline.output).toContain('part of the baseline schema');
    const wrong = await runbook('rollback', ['--execute', '--yes', '--migration', '0004-index-orders-by-customer'], { url: database.url });
    expect(wrong.code, wrong.output).toBe(1);
    expect(wrong.output).toContain('is not the newest applied migration');
    expect(await applied()).toContain('0003-create-feature-flags');
    expect(await readDataLayerFlag(database.db)).toBe('legacy');
  }, 150_000); // four runbook processes in a row

  test('orders that keep arriving during the rollback are not reported as lost rows', async ({ database }) => {
    await releaseLive(database.url);
    const traffic = setInterval(() => {
      database.pool.query(`insert into orders (customer_id) values (1)`).catch(() => {});
    }, 40);
    try {
      const result = await runbook('rollback', ['--execute', '--yes'], { url: database.url });
      expect(result.code, result.output).toBe(0);
      expect(result.stdout).toContain('✓ no rows lost');
    } finally {
      clearInterval(traffic);
    }
  });

  test('with the service running, a rollback keeps /healthz at 200 and requests served by legacy; only a schema the serving layer lacks is 503', async ({
    database,
  }) => {
    await releaseLive(database.url);
    const service = await startStorefrontService({ databaseUrl: database.url, port: 0, poolSize: 2 });
    try {
      expect(await health(service.url)).toMatchObject({
        status: 200,
        body: { status: 'ok', dataLayer: 'kysely', schema: { state: 'current' } },
      });
      const result = await runbook('rollback', ['--execute', '--yes'], { url: database.url });
      expect(result.code, result.output).toBe(0);
      // The flag is cached for a second per instance: wait until the instance has read it.
      await expect.poll(async () => (await health(service.url)).body.dataLayer, { timeout: 15_000 }).toBe('legacy');
      const after = await health(service.url);
      expect(after).toEqual({
        status: 200,
        body: {
          status: 'ok',
          database: 'reachable',
          dataLayer: 'legacy',
          schema: { state: 'rolled-back', pending: ['0004-index-orders-by-customer'], unknown: [] },
          migrations: { current: false, pending: ['0004-index-orders-by-customer'] },
        },
      });
      expect((await fetch(`${service.url}/products?limit=2`)).status).toBe(200);

      // Flipping back to kysely without re-applying the migration is "schema behind code": unhealthy.
      await database.pool.query(`update feature_flags set value = 'kysely' where key = 'data_layer'`);
      expect(await health(service.url)).toMatchObject({ status: 503, body: { dataLayer: 'kysely', schema: { state: 'behind' } } });

      // A newer release's migration this build does not know is "schema ahead": healthy, and reported.
      await database.pool.query(`update feature_flags set value = 'legacy' where key = 'data_layer'`);
      await database.pool.query(`insert into kysely_migration (name, timestamp) values ('0099-from-a-newer-release', now())`);
      expect(await health(service.url)).toMatchObject({
        status: 200,
        body: { schema: { state: 'rolled-back', unknown: ['0099-from-a-newer-release'] } },
      });
    } finally {
      await database.pool.query(`delete from kysely_migration where name = '0099-from-a-newer-release'`);
      await service.close();
    }
  });

  test('migration 0003 creates the flag as legacy: stage 1 of the rollout', async () => {
    const fresh = await emptyDatabase();
    const pool = createPool(fresh.url, 1);
    const db = createKysely(pool);
    try {
      await migrateToLatest(db);
      expect(await readDataLayerFlag(db)).toBe('legacy');
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });
});
