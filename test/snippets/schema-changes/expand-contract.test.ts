// Expand/contract, run through the migration runner on a copy of the Storefront: old and new
// code both keep working at every step, and the linter passes every step (the contract's
// column drop is allowed by name, with its reason).
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { migrateToLatest } from '../../../snippets/app/migrate.ts';
import { migrations } from '../../../snippets/app/migrations/index.ts';
import { expandContract } from '../../../snippets/schema-changes/expand-contract.ts';
import { lintMigrations } from '../../../scripts/db/lint-migrations.ts';

// The tests share one database clone, so the second one lists the first one's migrations too.
const rename = expandContract({ table: 'customers', from: 'name', to: 'full_name', type: 'text', batchSize: 7 });
const renamed = {
  ...migrations,
  '0101-expand-full-name': rename.expand,
  '0102-backfill-full-name': rename.backfill,
  '0103-check-full-name': rename.checkNotNull,
  '0104-full-name-not-null': rename.setNotNull,
  '0105-contract-name': rename.contract,
};

describe('expand/contract', () => {
  test('renames customers.name to full_name with old and new code writing throughout', async ({ database }) => {
    const steps = rename;
    const q = (text: string, values: unknown[] = []) => database.pool.query(text, values);

    // Release 1, expand: old code's insert fills the new column through the trigger.
    await migrateToLatest(database.db, { migrations: { ...migrations, '0101-expand-full-name': steps.expand } });
    await q(`insert into customers (email, name) values ('old-code@example.test', 'Old Code')`);
    expect((await q(`select full_name from customers where email = 'old-code@example.test'`)).rows[0].full_name).toBe('Old Code');
    const before = (await q(`select count(*)::int as n from customers where full_name is null`)).rows[0].n;
    expect(before).toBeGreaterThan(7);

    // Backfill in batches of 7, then NOT NULL without a scan under ACCESS EXCLUSIVE.
    const release1 = {
      ...migrations,
      '0101-expand-full-name': steps.expand,
      '0102-backfill-full-name': steps.backfill,
      '0103-check-full-name': steps.checkNotNull,
      '0104-full-name-not-null': steps.setNotNull,
    };
    await migrateToLatest(database.db, { migrations: release1 });
    expect((await q(`select count(*)::int as n from customers where full_name is distinct from name`)).rows[0].n).toBe(0);
    const column = await q(`select attnotnull from pg_attribute where attrelid = 'customers'::regclass and attname = 'full_name'`);
    expect(column.rows[0].attnotnull).toBe(true);
    expect((await q(`select count(*)::int as n from pg_constraint where conname = 'customers_full_name_not_null'`)).rows[0].n).toBe(0);

    // Release 2, new code: writes only full_name; old code, still running somewhere, still reads name.
    await q(`insert into customers (email, full_name) values ('new-code@example.test', 'New Code')`);
    await q(`update customers set full_name = 'Renamed' where email = 'old-code@example.test'`);
    const both = await q(`select email, name, full_name from customers where email like '%-code@example.test' order by email`);
    expect(both.rows).toEqual([
      { email: 'new-code@example.test', name: 'New Code', full_name: 'New Code' },
      { email: 'old-code@example.test', name: 'Renamed', full_name: 'Renamed' },
    ]);

    // Release 3, contract: the old column and the trigger go.
    await migrateToLatest(database.db, { migrations: { ...release1, '0105-contract-name': steps.contract } });
    const columns = (
      await q(`select attname from pg_attribute where attrelid = 'customers'::regclass and attnum > 0 and not attisdropped order by attnum`)
    ).rows.map((r) => r.attname);
    expect(columns).toContain('full_name');
    expect(columns).not.toContain('name');
    await q(`insert into customers (email, full_name) values ('after@example.test', 'After')`);
  });

  test('changes order_items.quantity to bigint in a new column, on a table without an id column', async ({ database }) => {
    const steps = expandContract({ table: 'order_items', from: 'quantity', to: 'quantity_big', type: 'bigint', batchSize: 500 });
    await migrateToLatest(database.db, {
      migrations: {
        ...renamed,
        '0201-expand': steps.expand,
        '0202-backfill': steps.backfill,
        '0203-check': steps.checkNotNull,
        '0204-not-null': steps.setNotNull,
      },
    });
    const { rows } = await database.pool.query(
      `select sum(quantity)::bigint as old, sum(quantity_big)::bigint as new, count(*) filter (where quantity_big is null)::int as missing from order_items`,
    );
    expect(rows[0].missing).toBe(0);
    expect(rows[0].new).toBe(rows[0].old);
    // Until the contract step a value must fit both columns: the trigger copies it into the integer one.
    await expect(
      database.pool.query(`update order_items set quantity_big = 3000000000 where ctid = (select min(ctid) from order_items)`),
    ).rejects.toThrow(/integer out of range/);
  });

  test('the linter passes every step; the contract step drops a column on purpose and says why', async () => {
    const steps = expandContract({ table: 'customers', from: 'name', to: 'full_name', type: 'text' });
    const results = await lintMigrations(steps);
    for (const result of results) expect(result.findings, `${result.name}\n${result.sql}`).toEqual([]);
    expect(results.find((r) => r.name === 'contract')!.allowed!.map((a) => a.rule)).toEqual(['ban-drop-column']);
    expect(results.filter((r) => r.name !== 'contract').every((r) => r.allowed!.length === 0)).toBe(true);
  });
});
