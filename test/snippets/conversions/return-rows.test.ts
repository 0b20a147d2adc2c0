import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import {
  clearOrder,
  clearOrderLegacy,
  createOrder,
  createOrderLegacy,
  restock,
  restockLegacy,
} from '../../../snippets/conversions/return-rows.ts';
import { recordSql, rolledBackKysely, rolledBackLegacy } from './support.ts';

describe('converting RETURNING', () => {
  test('an insert returns the new order with its database defaults, both ways', async ({ database }) => {
    const legacy = await rolledBackLegacy(database.pool, (client) => createOrderLegacy(client, 7));
    const kysely = await recordSql(database.pool, 'return-rows.create-order', () =>
      rolledBackKysely(database.db, (trx) => createOrder(trx, 7)),
    );
    // The id comes from a sequence and created_at from now(): both differ per run by design.
    for (const order of [legacy, kysely]) {
      expect(order.id).toEqual(expect.any(Number));
      expect(order.createdAt).toBeInstanceOf(Date);
    }
    expect({ ...kysely, id: 0, createdAt: null }).toEqual({ ...legacy, id: 0, createdAt: null });
    expect(legacy).toMatchObject({ customerId: 7, status: 'pending' });
  });

  test('an update returns the new stock, and nothing for a missing product, both ways', async ({ database }) => {
    const legacy = await rolledBackLegacy(database.pool, async (client) => [
      await restockLegacy(client, 5, 10),
      await restockLegacy(client, 999_999, 10),
    ]);
    const kysely = await recordSql(database.pool, 'return-rows.restock', () =>
      rolledBackKysely(database.db, async (trx) => [await restock(trx, 5, 10), await restock(trx, 999_999, 10)]),
    );
    const { rows } = await database.pool.query(`select stock from products where id = 5`);
    expect(legacy).toEqual([{ id: 5, stock: rows[0].stock + 10 }, undefined]);
    expect(kysely).toEqual(legacy);
  });

  test('a delete returns the removed lines; their order is not part of the contract', async ({ database }) => {
    const { rows } = await database.pool.query(
      `select order_id from order_items group by order_id having count(*) > 2 order by order_id limit 1`,
    );
    const orderId = rows[0].order_id as number;
    const byProduct = (a: { productId: number }, b: { productId: number }) => a.productId - b.productId;
    const legacy = await rolledBackLegacy(database.pool, (client) => clearOrderLegacy(client, orderId));
    const kysely = await recordSql(database.pool, 'return-rows.clear-order', () =>
      rolledBackKysely(database.db, (trx) => clearOrder(trx, orderId)),
    );
    expect(legacy.length).toBeGreaterThan(2);
    expect([...kysely].sort(byProduct)).toEqual([...legacy].sort(byProduct));
  });
});
