// The legacy and Kysely versions the training modules show side by side return the same
// results on the same data; where the lesson is about cost, the query counts are recorded.
import { describe, expect } from 'vitest';
import type pg from 'pg';
import { test } from '../../harness/database.ts';
import { compiledSql, evidencePath, queryCounts } from '../../support/evidence.ts';
import { createCheckContext } from '../../../snippets/training/kit.ts';
import * as m01 from '../../../snippets/training/01-sql-to-kysely/compare.ts';
import * as m02 from '../../../snippets/training/02-types/compare.ts';
import * as m03 from '../../../snippets/training/03-joins/compare.ts';
import * as m04 from '../../../snippets/training/04-n-plus-one/compare.ts';
import * as m05 from '../../../snippets/training/05-trees/compare.ts';
import * as m06 from '../../../snippets/training/06-transactions/compare.ts';
import * as m07 from '../../../snippets/training/07-dynamic-queries/compare.ts';
import * as m08 from '../../../snippets/training/08-explain/compare.ts';
import * as m09 from '../../../snippets/training/09-caching/compare.ts';
import * as m10 from '../../../snippets/training/10-testing/compare.ts';

function countingPool(pool: pg.Pool) {
  let count = 0;
  const query = ((...args: Parameters<pg.Pool['query']>) => {
    count++;
    return (pool.query as (...a: unknown[]) => unknown)(...args);
  }) as pg.Pool['query'];
  return { pool: { query }, queries: () => count };
}

describe('training modules: legacy and Kysely side by side', () => {
  test('module 1: both look a customer up by email, and Kysely sends the value as a parameter', async ({ database }) => {
    const email = 'customer12@example.test';
    const legacy = await m01.legacyCustomerByEmail(database.pool, email);
    expect(legacy).toMatchObject({ id: 12, email });
    expect(await m01.customerByEmail(database.db, email)).toEqual(legacy);
    expect(await m01.customerByEmail(database.db, "' or true --")).toBeUndefined();
    const compiled = m01.customerByEmailQuery(database.db, email);
    expect(compiled.parameters).toEqual([email]);
    await expect(compiledSql({ compile: () => compiled })).toMatchFileSnapshot(
      evidencePath('training/01-sql-to-kysely', 'customer-by-email.kysely.sql'),
    );
  });

  test('module 2: the hand-typed and the derived query return the same out-of-stock products', async ({ database }) => {
    const legacy = await m02.legacyProductsOutOfStock(database.pool, 10);
    expect(legacy).toHaveLength(10);
    expect(await m02.productsOutOfStock(database.db, 10)).toEqual(legacy);
  });

  test('module 3: both count the active products of each root category, zero included', async ({ database }) => {
    const legacy = await m03.legacyRootCategoryProductCounts(database.pool);
    expect(legacy.length).toBeGreaterThan(0);
    expect(await m03.rootCategoryProductCounts(database.db)).toEqual(legacy);
  });

  test('module 4: same orders and customers; the legacy loop sends 1 + N queries, Kysely one', async ({ database }) => {
    const legacyCounter = countingPool(database.pool);
    const legacy = await m04.legacyLatestOrdersWithCustomer(legacyCounter.pool, 10);
    const context = createCheckContext(database.pool);
    expect(await m04.latestOrdersWithCustomer(context.db, 10)).toEqual(legacy);
    expect(legacyCounter.queries()).toBe(11);
    expect(context.queries()).toBe(1);
    await expect(
      queryCounts({ 'legacy loop, 10 orders': legacyCounter.queries(), 'Kysely with jsonObjectFrom, 10 orders': context.queries() }),
    ).toMatchFileSnapshot(evidencePath('training/04-n-plus-one', 'latest-orders.queries.json'));
  });

  test('module 5: level-by-level loading and the recursive CTE find the same subtree', async ({ database }) => {
    const counter = countingPool(database.pool);
    const legacy = await m05.legacySubtreeIds(counter.pool, 1);
    expect(legacy.length).toBeGreaterThan(1);
    const context = createCheckContext(database.pool);
    expect(await m05.subtreeIds(context.db, 1)).toEqual(legacy);
    expect(context.queries()).toBe(1);
    await expect(
      queryCounts({ 'legacy, one query per level': counter.queries(), 'Kysely withRecursive': context.queries() }),
    ).toMatchFileSnapshot(evidencePath('training/05-trees', 'subtree.queries.json'));
  });

  test('module 6: both set every flag, and a failing flag leaves none set', async ({ database }) => {
    await m06.legacySetFlags(database.pool, { 'training.legacy.a': 'on', 'training.legacy.b': 'off' });
    await m06.setFlags(database.db, { 'training.kysely.a': 'on', 'training.kysely.b': 'off' });
    const { rows } = await database.pool.query(`select key, value from feature_flags where key like 'training.%' order by key`);
    expect(rows).toEqual([
      { key: 'training.kysely.a', value: 'on' },
      { key: 'training.kysely.b', value: 'off' },
      { key: 'training.legacy.a', value: 'on' },
      { key: 'training.legacy.b', value: 'off' },
    ]);
    // A null value violates NOT NULL on the second row: the first must be rolled back with it.
    const broken = { 'training.atomic.a': 'on', 'training.atomic.b': null as unknown as string };
    await expect(m06.legacySetFlags(database.pool, broken)).rejects.toThrow(/null/);
    await expect(m06.setFlags(database.db, broken)).rejects.toThrow(/null/);
    const { rows: left } = await database.pool.query(`select key from feature_flags where key like 'training.atomic.%'`);
    expect(left).toEqual([]);
  });

  test('module 7: the string-built and the Kysely search agree for every filter and sort', async ({ database }) => {
    const searches: m07.CustomerSearch[] = [
      {},
      { nameContains: 'ada' },
      { emailDomain: 'example.test', sort: 'newest' },
      { nameContains: "o'hara%" },
      { nameContains: 'grace', sort: 'name' },
    ];
    for (const search of searches)
      expect(await m07.searchCustomers(database.db, search)).toEqual(await m07.legacySearchCustomers(database.pool, search));
  });

  test('module 8: both plans read the unique index on sku', async ({ database }) => {
    const legacy = await m08.legacyExplainProductBySku(database.pool, 'SKU-000042');
    const kysely = await m08.explainProductBySku(database.db, 'SKU-000042');
    expect(legacy.join('\n')).toContain('products_sku_key');
    expect(kysely.join('\n')).toContain('products_sku_key');
  });

  test('module 9: the never-invalidated cache serves a stale name; the invalidating one does not', async ({ database }) => {
    expect(await m09.legacyCategoryName(database.pool, 2)).toBeTruthy();
    await m09.legacyRenameCategory(database.pool, 2, 'Renamed by legacy');
    expect(await m09.legacyCategoryName(database.pool, 2)).not.toBe('Renamed by legacy');

    const names = m09.createCategoryNames(database.db, 60_000);
    expect(await names.get(3)).toBeTruthy();
    await names.rename(3, 'Renamed by Kysely');
    expect(await names.get(3)).toBe('Renamed by Kysely');
  });

  test('module 10: both rollback wrappers return the result and leave no row behind', async ({ database }) => {
    const legacyId = await m10.legacyWithRollback(database.pool, async (client) => {
      const { rows } = await client.query(`insert into customers (email, name) values ('legacy-rb@example.test', 'Temp') returning id`);
      return rows[0].id as number;
    });
    const kyselyId = await m10.withRollback(database.db, async (trx) => {
      const row = await trx
        .insertInto('customers')
        .values({ email: 'kysely-rb@example.test', name: 'Temp' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    expect(typeof legacyId).toBe('number');
    expect(typeof kyselyId).toBe('number');
    const { rows } = await database.pool.query(
      `select count(*) as n from customers where email in ('legacy-rb@example.test', 'kysely-rb@example.test')`,
    );
    expect(rows[0].n).toBe(0);
  });
});
