import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { addProduct, findBySku, mistakesTscRejects } from '../../../snippets/setup/typed-queries.ts';
import { rolledBackKysely } from '../conversions/support.ts';

describe('the generated Database types', () => {
  test('a typed select returns exactly the selected columns', async ({ database }) => {
    const { rows } = await database.pool.query(`select sku, id, name, price_cents from products order by id limit 1`);
    expect(await findBySku(database.db, rows[0].sku)).toEqual({ id: rows[0].id, name: rows[0].name, price_cents: rows[0].price_cents });
    expect(await findBySku(database.db, 'NO-SUCH-SKU')).toBeUndefined();
  });

  test('an insert may leave out generated columns and gets them back from the database', async ({ database }) => {
    const row = await rolledBackKysely(database.db, (trx) =>
      addProduct(trx, { category_id: 1, sku: 'TYPED-1', name: 'Typed Lamp', price_cents: 1500 }),
    );
    expect(row).toMatchObject({ sku: 'TYPED-1', stock: 0, active: true, id: expect.any(Number) });
    expect(row.created_at).toBeInstanceOf(Date);
  });

  test('every query tsc rejects would also have failed at run time, only later', async ({ database }) => {
    const failures: string[] = [];
    for (const query of mistakesTscRejects(database.db)) {
      failures.push(
        await query.execute().then(
          () => 'ran',
          (error: Error) => error.message,
        ),
      );
    }
    expect(failures).toEqual([
      'column "price" does not exist',
      'relation "product" does not exist',
      'invalid input syntax for type integer: "three"',
      'column orders.customer does not exist',
    ]);
  });
});
