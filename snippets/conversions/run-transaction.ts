// A transaction: cancelling an order sets its status and puts its items back in stock,
// both or neither. The legacy version manages BEGIN/COMMIT/ROLLBACK and the client by hand;
// Kysely's transaction() does the same bookkeeping and cannot forget the release.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export class OrderNotCancellableError extends Error {
  override name = 'OrderNotCancellableError';
  readonly orderId: number;
  constructor(orderId: number) {
    super(`order ${orderId} does not exist or has already shipped or been cancelled`);
    this.orderId = orderId;
  }
}

/** Returns how many products were restocked. */
// #region cancel-legacy
export async function cancelOrderLegacy(pool: pg.Pool, orderId: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // The status check and the change are one statement, so two cancellations cannot both win.
    const cancelled = await client.query(
      `update orders set status = 'cancelled' where id = $1 and status in ('pending', 'paid') returning id`,
      [orderId],
    );
    if (cancelled.rowCount === 0) throw new OrderNotCancellableError(orderId);
    const restocked = await client.query(
      `update products p set stock = p.stock + oi.quantity
         from order_items oi
        where oi.product_id = p.id and oi.order_id = $1`,
      [orderId],
    );
    await client.query('commit');
    return restocked.rowCount ?? 0;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    // Forget this and the pool runs dry after `max` failed cancellations.
    client.release();
  }
}
// #endregion cancel-legacy

// #region cancel-kysely
export async function cancelOrder(db: Kysely<Database>, orderId: number): Promise<number> {
  // Commits when the callback resolves, rolls back when it throws, and releases the connection either way.
  return db.transaction().execute(async (trx) => {
    const cancelled = await trx
      .updateTable('orders')
      .set({ status: 'cancelled' })
      .where('id', '=', orderId)
      .where('status', 'in', ['pending', 'paid'])
      .returning('id')
      .executeTakeFirst();
    if (!cancelled) throw new OrderNotCancellableError(orderId);
    const restocked = await trx
      .updateTable('products as p')
      .from('order_items as oi')
      .set((eb) => ({ stock: eb('p.stock', '+', eb.ref('oi.quantity')) }))
      .whereRef('oi.product_id', '=', 'p.id')
      .where('oi.order_id', '=', orderId)
      .executeTakeFirst();
    return Number(restocked.numUpdatedRows);
  });
}
// #endregion cancel-kysely
