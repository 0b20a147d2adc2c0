import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import {
  categoryStock,
  categoryStockLegacy,
  cheapProducts,
  cheapProductsLegacy,
  recentOrders,
  recentOrdersLegacy,
} from '../../../snippets/conversions/select-rows.ts';
import { recordSql } from './support.ts';

// Order is part of every contract here (each query has an ORDER BY), so results are compared as-is.
describe('converting reads: select, where, joins and aggregates', () => {
  test('a filtered, ordered select returns the same products both ways', async ({ database }) => {
    const { rows } = await database.pool.query(
      `select category_id from products where active group by category_id order by count(*) desc limit 1`,
    );
    const categoryId = rows[0].category_id as number;
    const legacy = await cheapProductsLegacy(database.pool, categoryId, 20_000);
    expect(legacy.length).toBeGreaterThan(1);
    const kysely = await recordSql(database.pool, 'select-rows.cheap-products', () => cheapProducts(database.db, categoryId, 20_000));
    expect(kysely).toEqual(legacy);
  });

  test('a join with an in-list returns the same orders and customer names both ways', async ({ database }) => {
    const legacy = await recentOrdersLegacy(database.pool, ['pending', 'paid'], 15);
    expect(legacy).toHaveLength(15);
    expect(new Set(legacy.map((order) => order.status))).toEqual(new Set(['pending', 'paid']));
    const kysely = await recordSql(database.pool, 'select-rows.recent-orders', () => recentOrders(database.db, ['pending', 'paid'], 15));
    expect(kysely).toEqual(legacy);
    // An empty list matches nothing both ways (an unguarded Kysely `in ()` would be a syntax error).
    expect(await recentOrdersLegacy(database.pool, [], 15)).toEqual([]);
    expect(await recentOrders(database.db, [], 15)).toEqual([]);
  });

  test('counts, sums and minimums over a left join with HAVING agree, numbers included', async ({ database }) => {
    const legacy = await categoryStockLegacy(database.pool, 3);
    expect(legacy.length).toBeGreaterThan(0);
    expect(legacy.every((row) => typeof row.products === 'number' && row.products >= 3)).toBe(true);
    const kysely = await recordSql(database.pool, 'select-rows.category-stock', () => categoryStock(database.db, 3));
    expect(kysely).toEqual(legacy);
    // With HAVING >= 0 the empty categories appear too, with a null minimum and zero stock.
    const withEmpty = await categoryStock(database.db, 0);
    expect(withEmpty).toEqual(await categoryStockLegacy(database.pool, 0));
  });
});
