// Inside `db.transaction().execute(async (trx) => …)` only queries sent through `trx`
// are part of the transaction. `db` checks out another connection from the pool, so a
// write through it commits at once and survives the rollback. With a small pool it is
// worse: the transaction holds a connection while `db` waits for another.
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';
import { OutOfStockError, type NewOrder } from '../app/storefront-repository.ts';

// #region leaky
export async function placeOrderLeaky(db: Kysely<Database>, order: NewOrder): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto('orders').values({ customer_id: order.customerId }).returning('id').executeTakeFirstOrThrow();
    for (const line of order.lines) {
      // BUG: `db`, not `trx`. This UPDATE commits on its own, whatever happens next.
      const taken = await db
        .updateTable('products')
        .set((eb) => ({ stock: eb('stock', '-', line.quantity) }))
        .where('id', '=', line.productId)
        .where('stock', '>=', line.quantity)
        .returning('price_cents')
        .executeTakeFirst();
      if (!taken) throw new OutOfStockError(line.productId); // rolls back the order, not the stock
      await trx
        .insertInto('order_items')
        .values({ order_id: id, product_id: line.productId, quantity: line.quantity, unit_price_cents: taken.price_cents })
        .execute();
    }
    return id;
  });
}
// #endregion leaky

// #region fixed
// Helpers take the executor they must use. A Transaction is a Kysely, so the same
// helper works inside and outside a transaction, and there is no `db` in scope to misuse.
async function takeStock(executor: Kysely<Database>, productId: number, quantity: number): Promise<number> {
  const taken = await executor
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '-', quantity) }))
    .where('id', '=', productId)
    .where('stock', '>=', quantity)
    .returning('price_cents')
    .executeTakeFirst();
  if (!taken) throw new OutOfStockError(productId);
  return taken.price_cents;
}

export async function placeOrder(db: Kysely<Database>, order: NewOrder): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto('orders').values({ customer_id: order.customerId }).returning('id').executeTakeFirstOrThrow();
    for (const line of order.lines) {
      const unitPriceCents = await takeStock(trx, line.productId, line.quantity);
      await trx
        .insertInto('order_items')
        .values({ order_id: id, product_id: line.productId, quantity: line.quantity, unit_price_cents: unitPriceCents })
        .execute();
    }
    return id;
  });
}
// #endregion fixed
