// json_agg(… order by …): the same orders and items as the other loaders, with the order
// guaranteed by the aggregate rather than by a sorted subquery, for no, few and many ids.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { evidencePath, sentSql } from '../../support/evidence.ts';
import { loadWithJsonArrayFrom, loadWithLoop, loadWithWhereIn } from '../../../snippets/relations/load-orders-with-items.ts';
import { loadWithOrderedJsonAgg } from '../../../snippets/relations/aggregate-json-ordered.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';

const ORDER_IDS = [...Array.from({ length: 20 }, (_, index) => index + 1), 999_999];

describe('ordered json_agg instead of a sorted subquery', () => {
  test('returns what the legacy loop and jsonArrayFrom return, items in product order', async ({ database }) => {
    const expected = await loadWithLoop(database.pool, ORDER_IDS);
    expect(expected.some((order) => order.items.length > 1)).toBe(true);
    const counter = countQueries(database.pool);
    try {
      const { result, statements } = await counter.measure(() => loadWithOrderedJsonAgg(database.db, ORDER_IDS));
      expect(result).toEqual(expected);
      expect(statements).toHaveLength(1);
      await expect(sentSql(statements)).toMatchFileSnapshot(evidencePath('relations', 'ordered-json-agg.sql'));
      // Where each puts its ORDER BY: inside the aggregate call, or only in the subquery it reads.
      expect(statements[0]!.sql).toMatch(/json_agg\(json_build_object\(.*\) order by "order_items"\."product_id"\)/);
    } finally {
      counter.detach();
    }
    expect(await loadWithJsonArrayFrom(database.db, ORDER_IDS)).toEqual(expected);
  });

  test('an order without items gets [], an empty id list gets no orders', async ({ database }) => {
    await database.db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto('orders').values({ customer_id: 1 }).returning('id').executeTakeFirstOrThrow();
      expect(await loadWithOrderedJsonAgg(trx, [id])).toEqual([{ id, customerId: 1, status: 'pending', items: [] }]);
      await trx.deleteFrom('orders').where('id', '=', id).execute();
    });
    expect(await loadWithOrderedJsonAgg(database.db, [])).toEqual([]);
    expect(await loadWithWhereIn(database.db, [])).toEqual([]);
  });

  test('70,000 ids: the batched where in exceeds the 65,535-parameter limit, = any($1::int[]) does not', async ({ database }) => {
    const ids = Array.from({ length: 70_000 }, (_, index) => index + 1);
    await expect(loadWithWhereIn(database.db, ids)).rejects.toThrow('bind message has 4464 parameter formats but 0 parameters');
    const all = await loadWithOrderedJsonAgg(database.db, ids);
    const { rows } = await database.pool.query(`select count(*)::int as n from orders where id <= 70000`);
    expect(all).toHaveLength(rows[0].n);
    expect(all.slice(0, 20)).toEqual(await loadWithLoop(database.pool, ORDER_IDS));
  });
});
