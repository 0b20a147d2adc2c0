// RETURNING: get back what a write produced in the same round trip, instead of a
// second SELECT that could see a different row by the time it runs.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export type Queryable = pg.Pool | pg.PoolClient;

export interface CreatedOrder {
  id: number;
  customerId: number;
  status: string;
  createdAt: Date;
}

// #region insert-returning-legacy
export async function createOrderLegacy(db: Queryable, customerId: number): Promise<CreatedOrder> {
  const { rows } = await db.query(
    `insert into orders (customer_id) values ($1)
     returning id, customer_id as "customerId", status, created_at as "createdAt"`,
    [customerId],
  );
  return rows[0];
}
// #endregion insert-returning-legacy

// #region insert-returning-kysely
export async function createOrder(db: Kysely<Database>, customerId: number): Promise<CreatedOrder> {
  return db
    .insertInto('orders')
    .values({ customer_id: customerId })
    .returning(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
    .executeTakeFirstOrThrow();
}
// #endregion insert-returning-kysely

// #region update-returning-legacy
export async function restockLegacy(db: Queryable, productId: number, units: number): Promise<{ id: number; stock: number } | undefined> {
  const { rows } = await db.query(`update products set stock = stock + $2 where id = $1 returning id, stock`, [productId, units]);
  return rows[0];
}
// #endregion update-returning-legacy

// #region update-returning-kysely
export async function restock(db: Kysely<Database>, productId: number, units: number): Promise<{ id: number; stock: number } | undefined> {
  // executeTakeFirst: undefined when no row matched, which is how "no such product" shows up.
  return db
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '+', units) }))
    .where('id', '=', productId)
    .returning(['id', 'stock'])
    .executeTakeFirst();
}
// #endregion update-returning-kysely

export interface RemovedItem {
  productId: number;
  quantity: number;
}

// #region delete-returning-legacy
export async function clearOrderLegacy(db: Queryable, orderId: number): Promise<RemovedItem[]> {
  const { rows } = await db.query(`delete from order_items where order_id = $1 returning product_id as "productId", quantity`, [orderId]);
  return rows;
}
// #endregion delete-returning-legacy

// #region delete-returning-kysely
export async function clearOrder(db: Kysely<Database>, orderId: number): Promise<RemovedItem[]> {
  // RETURNING has no ORDER BY: callers must not rely on the order of these rows.
  return db.deleteFrom('order_items').where('order_id', '=', orderId).returning(['product_id as productId', 'quantity']).execute();
}
// #endregion delete-returning-kysely
