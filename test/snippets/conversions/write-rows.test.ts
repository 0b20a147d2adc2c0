import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import {
  addProducts,
  addProductsLegacy,
  deleteCancelledOrders,
  deleteCancelledOrdersLegacy,
  discountCategory,
  discountCategoryLegacy,
} from '../../../snippets/conversions/write-rows.ts';
import { readBack, recordSql, rolledBackKysely, rolledBackLegacy } from './support.ts';

// Each write runs in a transaction that is rolled back, so both versions start from the
// same seeded rows and the file's shared clone is unchanged for the next test.
describe('converting writes: insert, update and delete', () => {
  const newProducts = [
    { categoryId: 1, sku: 'TEST-0001', name: 'Test Kettle', priceCents: 1999 },
    { categoryId: 1, sku: 'TEST-0002', name: 'Test Lamp', priceCents: 4550 },
    { categoryId: 2, sku: 'TEST-0003', name: "O'Brien's Tent", priceCents: 12_000 },
  ];
  const inserted = `select category_id, sku, name, price_cents, stock, active from products where sku like 'TEST-%' order by sku`;

  test('a multi-row insert stores the same rows both ways', async ({ database }) => {
    const legacy = await rolledBackLegacy(database.pool, async (client) => ({
      count: await addProductsLegacy(client, newProducts),
      rows: (await client.query(inserted)).rows,
    }));
    expect(legacy.count).toBe(3);
    const kysely = await recordSql(database.pool, 'write-rows.add-products', () =>
      rolledBackKysely(database.db, async (trx) => ({
        count: await addProducts(trx, newProducts),
        rows: (await trx.executeQuery(readBack(inserted))).rows,
      })),
    );
    expect(kysely).toEqual(legacy);
  });

  test('an update computed from the current price changes the same rows to the same prices', async ({ database }) => {
    const prices = `select id, price_cents from products where category_id = 3 order by id`;
    const legacy = await rolledBackLegacy(database.pool, async (client) => ({
      count: await discountCategoryLegacy(client, 3, 15),
      rows: (await client.query(prices)).rows,
    }));
    expect(legacy.count).toBeGreaterThan(0);
    const before = (await database.pool.query(prices)).rows;
    expect(legacy.rows).not.toEqual(before);
    const kysely = await recordSql(database.pool, 'write-rows.discount-category', () =>
      rolledBackKysely(database.db, async (trx) => ({
        count: await discountCategory(trx, 3, 15),
        rows: (await trx.executeQuery(readBack(prices))).rows,
      })),
    );
    expect(kysely).toEqual(legacy);
  });

  test('a delete removes the same orders, and their items with them, both ways', async ({ database }) => {
    const cutoff = new Date(Date.UTC(2026, 1, 1));
    const remaining = `select (select count(*) from orders) as orders, (select count(*) from order_items) as items`;
    const legacy = await rolledBackLegacy(database.pool, async (client) => ({
      count: await deleteCancelledOrdersLegacy(client, cutoff),
      left: (await client.query(remaining)).rows[0],
    }));
    expect(legacy.count).toBeGreaterThan(0);
    const kysely = await recordSql(database.pool, 'write-rows.delete-cancelled-orders', () =>
      rolledBackKysely(database.db, async (trx) => ({
        count: await deleteCancelledOrders(trx, cutoff),
        left: (await trx.executeQuery(readBack(remaining))).rows[0],
      })),
    );
    expect(kysely).toEqual(legacy);
  });
});
