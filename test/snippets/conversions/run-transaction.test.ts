import { describe, expect, afterAll } from 'vitest';
import { test, cloneTemplate } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { cancelOrder, cancelOrderLegacy, OrderNotCancellableError } from '../../../snippets/conversions/run-transaction.ts';
import { recordSql } from './support.ts';

// These functions commit, so each version runs on its own fresh clone of the seeded template.
async function freshDatabase() {
  const clone = await cloneTemplate();
  const pool = createPool(clone.url, 2);
  const db = createKysely(pool);
  return {
    pool,
    db,
    drop: async () => {
      await db.destroy();
      await clone.drop();
    },
  };
}

const state = `select o.status, coalesce(json_agg(json_build_object('product', p.id, 'stock', p.stock) order by p.id) filter (where p.id is not null), '[]') as stock
                 from orders o left join order_items oi on oi.order_id = o.id left join products p on p.id = oi.product_id
                where o.id = $1 group by o.status`;

describe('converting a transaction', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  test('cancelling an order changes the status and restocks its products identically both ways', async () => {
    const legacyDb = await freshDatabase();
    const kyselyDb = await freshDatabase();
    cleanups.push(legacyDb.drop, kyselyDb.drop);
    const { rows } = await legacyDb.pool.query(
      `select o.id from orders o where status = 'paid' and exists (select 1 from order_items where order_id = o.id) order by id limit 1`,
    );
    const orderId = rows[0].id as number;
    const before = (await legacyDb.pool.query(state, [orderId])).rows[0];

    const legacyCount = await cancelOrderLegacy(legacyDb.pool, orderId);
    const kyselyCount = await recordSql(kyselyDb.pool, 'run-transaction.cancel-order', () => cancelOrder(kyselyDb.db, orderId), true);
    expect(legacyCount).toBeGreaterThan(0);
    expect(kyselyCount).toBe(legacyCount);

    const legacyAfter = (await legacyDb.pool.query(state, [orderId])).rows[0];
    expect(legacyAfter.status).toBe('cancelled');
    expect(legacyAfter.stock).not.toEqual(before.stock);
    expect((await kyselyDb.pool.query(state, [orderId])).rows[0]).toEqual(legacyAfter);
  });

  test('cancelling a shipped order fails the same way and changes nothing, both ways', async ({ database }) => {
    const { rows } = await database.pool.query(`select id from orders where status = 'shipped' order by id limit 1`);
    const orderId = rows[0].id as number;
    const before = (await database.pool.query(state, [orderId])).rows[0];
    await expect(cancelOrderLegacy(database.pool, orderId)).rejects.toBeInstanceOf(OrderNotCancellableError);
    await expect(cancelOrder(database.db, orderId)).rejects.toBeInstanceOf(OrderNotCancellableError);
    expect((await database.pool.query(state, [orderId])).rows[0]).toEqual(before);
    // Both released their connection: a pool of 5 would hang here otherwise after enough failures.
    for (let attempt = 0; attempt < 6; attempt++) {
      await expect(cancelOrderLegacy(database.pool, orderId)).rejects.toThrow(OrderNotCancellableError);
      await expect(cancelOrder(database.db, orderId)).rejects.toThrow(OrderNotCancellableError);
    }
  });
});
