// Lists in a where clause: the empty list and the 65,535-parameter limit, both ways.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';
import {
  addCustomersWithUnnest,
  addCustomersWithValues,
  orderIdsByStatus,
  orderIdsByStatusLegacy,
  orderIdsByStatusUnguarded,
  ordersByIds,
  ordersByIdsInList,
} from '../../../snippets/conversions/filter-by-list.ts';
import { evidencePath, sentSql } from '../../support/evidence.ts';
import { rolledBackKysely } from './support.ts';

describe('filtering by a list', () => {
  test('an empty list: the legacy = any($1) returns no rows, an unguarded Kysely in () is a syntax error, the guard returns no rows', async ({
    database,
  }) => {
    expect(await orderIdsByStatusLegacy(database.pool, [])).toEqual([]);

    const counter = countQueries(database.pool);
    try {
      const { result, statements } = await counter.measure(() =>
        orderIdsByStatusUnguarded(database.db, []).then(
          () => 'no error',
          (e: Error) => e.message,
        ),
      );
      expect(result).toBe('syntax error at or near ")"');
      await expect(sentSql(statements)).toMatchFileSnapshot(evidencePath('conversions', 'filter-by-list.empty-in.sql'));

      const guarded = await counter.measure(() => orderIdsByStatus(database.db, []));
      expect(guarded.result).toEqual([]);
      expect(guarded.count).toBe(0);
    } finally {
      counter.detach();
    }

    // With values, all three agree.
    const legacy = await orderIdsByStatusLegacy(database.pool, ['paid', 'shipped']);
    expect(legacy.length).toBeGreaterThan(0);
    expect(await orderIdsByStatus(database.db, ['paid', 'shipped'])).toEqual(legacy);
    expect(await orderIdsByStatusUnguarded(database.db, ['paid', 'shipped'])).toEqual(legacy);
  });

  test('65,535 values fit in one in-list, 70,000 do not; = any($1::int[]) takes any number, and none', async ({ database }) => {
    const expected = async (max: number) =>
      (await database.pool.query(`select id, status from orders where id <= $1 order by id`, [max])).rows;
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

    expect(await ordersByIdsInList(database.db, ids(65_535))).toEqual(await expected(65_535));
    // The count travels in 16 bits: 70,000 arrives as 70,000 - 65,536 = 4,464, and PostgreSQL says so.
    await expect(ordersByIdsInList(database.db, ids(70_000))).rejects.toThrow('bind message has 4464 parameter formats but 0 parameters');

    const counter = countQueries(database.pool);
    try {
      const { result, statements } = await counter.measure(() => ordersByIds(database.db, ids(70_000)));
      expect(result).toEqual(await expected(70_000));
      expect(statements).toHaveLength(1);
      expect(statements[0]!.parameters).toHaveLength(1);
      await expect(sentSql([{ sql: statements[0]!.sql, parameters: [['…70,000 ids']] }])).toMatchFileSnapshot(
        evidencePath('conversions', 'filter-by-list.any-array.sql'),
      );
    } finally {
      counter.detach();
    }
    expect(await ordersByIds(database.db, [])).toEqual([]);
    expect(await ordersByIds(database.db, [2, 1, 2])).toEqual(await expected(2));
  });

  test('40,000 rows of two columns: values() exceeds the limit, unnest() inserts them all with two parameters', async ({ database }) => {
    const customers = Array.from({ length: 40_000 }, (_, i) => ({ email: `bulk-${i}@example.test`, name: `Bulk ${i}` }));
    await expect(rolledBackKysely(database.db, (trx) => addCustomersWithValues(trx, customers))).rejects.toThrow(
      /bind message has 14464 parameter formats/,
    );
    const inserted = await rolledBackKysely(database.db, async (trx) => {
      const n = await addCustomersWithUnnest(trx, customers);
      const check = await trx
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('email', 'like', 'bulk-%@example.test')
        .executeTakeFirstOrThrow();
      return { n, found: check.n };
    });
    expect(inserted).toEqual({ n: 40_000, found: 40_000 });
    // Rolled back: nothing stays behind.
    expect((await database.pool.query(`select count(*)::int as n from customers where email like 'bulk-%@example.test'`)).rows[0].n).toBe(
      0,
    );
  });
});
