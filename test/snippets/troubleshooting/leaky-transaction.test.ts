import pg from 'pg';
import { describe, expect, test } from '../../harness/database.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { OutOfStockError } from '../../../snippets/app/storefront-repository.ts';
import { placeOrder, placeOrderLeaky } from '../../../snippets/troubleshooting/leaky-transaction.ts';

// Products 11 and 12 are only touched by this file's tests, so each test resets them.
async function prepare(pool: pg.Pool) {
  await pool.query(`update products set stock = case id when 11 then 10 else 0 end where id in (11, 12)`);
  const order = {
    customerId: 4,
    lines: [
      { productId: 11, quantity: 3 },
      { productId: 12, quantity: 1 },
    ],
  };
  const state = async () => {
    const { rows } = await pool.query(
      `select (select stock from products where id = 11) as stock, (select count(*)::int from orders where customer_id = 4) as orders`,
    );
    return rows[0] as { stock: number; orders: number };
  };
  return { order, state };
}

describe('using the outer db inside db.transaction()', () => {
  test('the write sent through db escapes the rollback', async ({ database }) => {
    const { order, state } = await prepare(database.pool);
    const before = await state();
    await expect(placeOrderLeaky(database.db, order)).rejects.toBeInstanceOf(OutOfStockError);
    // The order was rolled back, but 3 units of product 11 are gone for good.
    expect(await state()).toEqual({ stock: before.stock - 3, orders: before.orders });
  });

  test('passing trx everywhere rolls back everything', async ({ database }) => {
    const { order, state } = await prepare(database.pool);
    const before = await state();
    await expect(placeOrder(database.db, order)).rejects.toBeInstanceOf(OutOfStockError);
    expect(await state()).toEqual(before);
  });

  test('with a pool of one connection the leaky version cannot even run: db waits for the connection trx holds', async ({ database }) => {
    const { order, state } = await prepare(database.pool);
    const before = await state();
    const pool = new pg.Pool({ connectionString: database.url, max: 1, connectionTimeoutMillis: 300 });
    pool.on('error', () => {});
    const db = createKysely(pool);
    try {
      await expect(placeOrderLeaky(db, order)).rejects.toThrow(/timeout exceeded when trying to connect/);
      expect(await state()).toEqual(before);
      await expect(placeOrder(db, { ...order, lines: [order.lines[0]!] })).resolves.toBeGreaterThan(0);
      expect((await state()).stock).toBe(before.stock - 3);
    } finally {
      await db.destroy();
    }
  });
});
