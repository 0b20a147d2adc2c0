import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import {
  dailyOrders,
  dailyOrdersLegacy,
  productsSortedBy,
  searchProducts,
  searchProductsLegacy,
} from '../../../snippets/conversions/raw-sql.ts';
import { recordSql } from './support.ts';

describe('the raw sql template', () => {
  test('a whole query in the sql template returns the same days, gaps included, as the legacy query', async ({ database }) => {
    const legacy = await dailyOrdersLegacy(database.pool, '2025-12-30', 10);
    expect(legacy.map((row) => row.day)).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
    ]);
    // Days before the seeded history starts come back as zero, not missing.
    expect(legacy[0]!.orders).toBe(0);
    expect(legacy.some((row) => row.orders > 0)).toBe(true);
    const kysely = await recordSql(database.pool, 'raw-sql.daily-orders', () => dailyOrders(database.db, '2025-12-30', 10));
    expect(kysely).toEqual(legacy);
  });

  test('a sql fragment inside a builder query finds the same products as the legacy full-text query', async ({ database }) => {
    const legacy = await searchProductsLegacy(database.pool, 'wireless kettle');
    expect(legacy.length).toBeGreaterThan(0);
    const kysely = await recordSql(database.pool, 'raw-sql.search-products', () => searchProducts(database.db, 'wireless kettle'));
    expect(kysely).toEqual(legacy);
  });

  test('a value interpolated into the template is a bound parameter, not SQL', async ({ database }) => {
    const hostile = `x') or true; drop table products; --`;
    expect(await searchProducts(database.db, hostile)).toEqual(await searchProductsLegacy(database.pool, hostile));
    const { rows } = await database.pool.query(`select count(*) as n from products`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  test('sql.ref sorts by an allowed column and refuses any other', async ({ database }) => {
    const byPrice = await recordSql(database.pool, 'raw-sql.sorted-by', () => productsSortedBy(database.db, 'price_cents', 5));
    const { rows } = await database.pool.query(`select id, name from products order by price_cents, id limit 5`);
    expect(byPrice).toEqual(rows);
    await expect(productsSortedBy(database.db, 'id; drop table products' as never, 5)).rejects.toThrow(/cannot sort by/);
  });
});
