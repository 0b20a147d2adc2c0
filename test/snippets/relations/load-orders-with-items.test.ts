// The four relation loaders must agree row for row, and the number of queries each one
// sends is counted on the connection and recorded as evidence for the Relations page.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';
import {
  loadWithCustomer,
  loadWithCustomerLegacy,
  loadWithJoin,
  loadWithJsonArrayFrom,
  loadWithLoop,
  loadWithWhereIn,
} from '../../../snippets/relations/load-orders-with-items.ts';
import { evidencePath, queryCounts, sentSql } from '../../support/evidence.ts';

// Twenty existing orders plus one id that does not exist: a missing id must be skipped, not invented.
const ORDER_IDS = [...Array.from({ length: 20 }, (_, index) => index + 1), 999_999];

describe('loading orders with their items', () => {
  test('the legacy loop, jsonArrayFrom, a join and a batched where-in return identical orders and items', async ({ database }) => {
    const expected = await loadWithLoop(database.pool, ORDER_IDS);
    expect(expected.map((order) => order.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(expected.some((order) => order.items.length > 1)).toBe(true);
    for (const order of expected) {
      expect(order.items.map((item) => item.productId)).toEqual([...order.items.map((item) => item.productId)].sort((a, b) => a - b));
    }
    expect(await loadWithJsonArrayFrom(database.db, ORDER_IDS)).toEqual(expected);
    expect(await loadWithJoin(database.db, ORDER_IDS)).toEqual(expected);
    expect(await loadWithWhereIn(database.db, ORDER_IDS)).toEqual(expected);
  });

  test('an order without items comes back with an empty list from every variant', async ({ database }) => {
    await database.db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto('orders').values({ customer_id: 1 }).returning('id').executeTakeFirstOrThrow();
      // Inside a transaction so the shared clone is unchanged afterwards; the loop needs a pool, so it
      // cannot see this uncommitted order and is covered by the identical-results test instead.
      const expected = [{ id, customerId: 1, status: 'pending', items: [] }];
      expect(await loadWithJsonArrayFrom(trx, [id])).toEqual(expected);
      expect(await loadWithJoin(trx, [id])).toEqual(expected);
      expect(await loadWithWhereIn(trx, [id])).toEqual(expected);
      await trx.deleteFrom('orders').where('id', '=', id).execute();
    });
  });

  test('an empty list of ids returns no orders', async ({ database }) => {
    expect(await loadWithLoop(database.pool, [])).toEqual([]);
    expect(await loadWithJsonArrayFrom(database.db, [])).toEqual([]);
    expect(await loadWithJoin(database.db, [])).toEqual([]);
    expect(await loadWithWhereIn(database.db, [])).toEqual([]);
  });

  test('jsonObjectFrom nests each order’s customer, like the legacy join reshaped by hand', async ({ database }) => {
    const expected = await loadWithCustomerLegacy(database.pool, ORDER_IDS);
    expect(expected).toHaveLength(20);
    expect(await loadWithCustomer(database.db, ORDER_IDS)).toEqual(expected);
  });

  test('the queries each variant sends are counted on the connection and recorded', async ({ database }) => {
    // A pool of its own, so nothing else in this file adds to the count.
    const pool = createPool(database.url, 2);
    const db = createKysely(pool);
    const counter = countQueries(pool);
    try {
      const loop = await counter.measure(() => loadWithLoop(pool, ORDER_IDS));
      const jsonArray = await counter.measure(() => loadWithJsonArrayFrom(db, ORDER_IDS));
      const join = await counter.measure(() => loadWithJoin(db, ORDER_IDS));
      const whereIn = await counter.measure(() => loadWithWhereIn(db, ORDER_IDS));
      const jsonObject = await counter.measure(() => loadWithCustomer(db, ORDER_IDS));

      // The loop's count grows with the number of orders found; the others do not.
      expect(loop.count).toBe(1 + loop.result.length);
      expect(jsonArray.count).toBe(1);
      expect(join.count).toBe(1);
      expect(whereIn.count).toBe(2);
      expect(jsonObject.count).toBe(1);

      const orders = `${loop.result.length} orders`;
      await expect(
        queryCounts({
          [`legacy loop (loadWithLoop), ${orders}`]: loop.count,
          [`jsonArrayFrom (loadWithJsonArrayFrom), ${orders}`]: jsonArray.count,
          [`join, grouped in TypeScript (loadWithJoin), ${orders}`]: join.count,
          [`batched where in (loadWithWhereIn), ${orders}`]: whereIn.count,
        }),
      ).toMatchFileSnapshot(evidencePath('relations', 'load-orders-with-items.queries.json'));
      await expect(sentSql(loop.statements.slice(0, 2))).toMatchFileSnapshot(evidencePath('relations', 'legacy-loop.first-two.sql'));
      await expect(sentSql(jsonArray.statements)).toMatchFileSnapshot(evidencePath('relations', 'json-array-from.sql'));
      await expect(sentSql(join.statements)).toMatchFileSnapshot(evidencePath('relations', 'join.sql'));
      await expect(sentSql(whereIn.statements)).toMatchFileSnapshot(evidencePath('relations', 'where-in.sql'));
      await expect(sentSql(jsonObject.statements)).toMatchFileSnapshot(evidencePath('relations', 'json-object-from.sql'));
    } finally {
      counter.detach();
      await db.destroy();
    }
  });

  test('the counter sees statements sent by pool.query and by a checked-out client alike', async ({ database }) => {
    const pool = createPool(database.url, 1);
    const counter = countQueries(pool);
    try {
      await pool.query('select 1');
      const client = await pool.connect();
      try {
        await client.query('select $1::int', [2]);
      } finally {
        client.release();
      }
      expect(counter.statements).toEqual([
        { sql: 'select 1', parameters: [] },
        { sql: 'select $1::int', parameters: [2] },
      ]);
      counter.detach();
      await pool.query('select 3');
      expect(counter.count).toBe(2);
    } finally {
      await pool.end();
    }
  });
});
