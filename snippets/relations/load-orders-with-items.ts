// Four ways to load orders with their items, from the legacy N+1 loop to one query.
// All four return the same thing: the requested orders sorted by id, each with its
// items sorted by product id. The benchmarks (scripts/bench.ts) import these functions,
// and test/snippets/relations/load-orders-with-items.test.ts counts the queries each sends.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database } from '../app/database.ts';

// #region order-with-items
export type OrderWithItems = {
  id: number;
  customerId: number;
  status: string;
  items: { productId: number; quantity: number; unitPriceCents: number }[];
};
// #endregion order-with-items

// #region legacy-loop
export async function loadWithLoop(pool: pg.Pool, orderIds: number[]): Promise<OrderWithItems[]> {
  const { rows: orders } = await pool.query(
    `select id, customer_id as "customerId", status from orders where id = any($1::int[]) order by id`,
    [orderIds],
  );
  const result: OrderWithItems[] = [];
  for (const order of orders) {
    // One more round trip for every order: 100 orders, 101 queries.
    const { rows: items } = await pool.query(
      `select product_id as "productId", quantity, unit_price_cents as "unitPriceCents"
         from order_items where order_id = $1 order by product_id`,
      [order.id],
    );
    result.push({ ...order, items });
  }
  return result;
}
// #endregion legacy-loop

// #region json-array-from
export async function loadWithJsonArrayFrom(db: Kysely<Database>, orderIds: number[]): Promise<OrderWithItems[]> {
  // `in ()` is a syntax error in PostgreSQL, so an empty list never reaches the database.
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('orders')
    .select((eb) => [
      'orders.id',
      'orders.customer_id as customerId',
      'orders.status',
      // A correlated subquery, aggregated by PostgreSQL into one JSON array per order.
      jsonArrayFrom(
        eb
          .selectFrom('order_items')
          .select(['order_items.product_id as productId', 'order_items.quantity', 'order_items.unit_price_cents as unitPriceCents'])
          .whereRef('order_items.order_id', '=', 'orders.id')
          .orderBy('order_items.product_id'),
      ).as('items'),
    ])
    .where('orders.id', 'in', orderIds)
    .orderBy('orders.id')
    .execute();
}
// #endregion json-array-from

// #region join
export async function loadWithJoin(db: Kysely<Database>, orderIds: number[]): Promise<OrderWithItems[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    // A left join keeps orders that have no items; their item columns come back null.
    .leftJoin('order_items', 'order_items.order_id', 'orders.id')
    .select([
      'orders.id',
      'orders.customer_id as customerId',
      'orders.status',
      'order_items.product_id as productId',
      'order_items.quantity',
      'order_items.unit_price_cents as unitPriceCents',
    ])
    .where('orders.id', 'in', orderIds)
    .orderBy('orders.id')
    .orderBy('order_items.product_id')
    .execute();

  // The join repeats each order once per item; fold the flat rows back into a tree.
  const orders: OrderWithItems[] = [];
  for (const row of rows) {
    let order = orders.at(-1);
    if (order?.id !== row.id) {
      order = { id: row.id, customerId: row.customerId, status: row.status, items: [] };
      orders.push(order);
    }
    if (row.productId !== null) {
      order.items.push({ productId: row.productId, quantity: row.quantity!, unitPriceCents: row.unitPriceCents! });
    }
  }
  return orders;
}
// #endregion join

// #region where-in
export async function loadWithWhereIn(db: Kysely<Database>, orderIds: number[]): Promise<OrderWithItems[]> {
  if (orderIds.length === 0) return [];
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'customer_id as customerId', 'status'])
    .where('id', 'in', orderIds)
    .orderBy('id')
    .execute();
  // One query for the items of every order, whatever the number of orders.
  const items = await db
    .selectFrom('order_items')
    .select(['order_id as orderId', 'product_id as productId', 'quantity', 'unit_price_cents as unitPriceCents'])
    .where('order_id', 'in', orderIds)
    .orderBy('product_id')
    .execute();

  const byOrder = new Map<number, OrderWithItems['items']>();
  for (const { orderId, ...item } of items) {
    const list = byOrder.get(orderId) ?? [];
    list.push(item);
    byOrder.set(orderId, list);
  }
  return orders.map((order) => ({ ...order, items: byOrder.get(order.id) ?? [] }));
}
// #endregion where-in

export type OrderWithCustomer = {
  id: number;
  status: string;
  customer: { id: number; name: string; email: string };
};

// The many-to-one direction: each order with its customer as a nested object.
// #region json-object-from
export async function loadWithCustomer(db: Kysely<Database>, orderIds: number[]): Promise<OrderWithCustomer[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .select((eb) => [
      'orders.id',
      'orders.status',
      jsonObjectFrom(
        eb
          .selectFrom('customers')
          .select(['customers.id', 'customers.name', 'customers.email'])
          .whereRef('customers.id', '=', 'orders.customer_id'),
      ).as('customer'),
    ])
    .where('orders.id', 'in', orderIds)
    .orderBy('orders.id')
    .execute();
  // jsonObjectFrom is typed as nullable: the subquery could find no row. The foreign key
  // says it always finds one, so a null here is a broken invariant, not a case to handle.
  return rows.map((row) => {
    if (!row.customer) throw new Error(`order ${row.id} has no customer`);
    return { ...row, customer: row.customer };
  });
}
// #endregion json-object-from

// The same result the legacy way, for the equivalence test: a plain join, reshaped by hand.
// #region legacy-customer-join
export async function loadWithCustomerLegacy(pool: pg.Pool, orderIds: number[]): Promise<OrderWithCustomer[]> {
  const { rows } = await pool.query(
    `select o.id, o.status, c.id as customer_id, c.name as customer_name, c.email as customer_email
       from orders o join customers c on c.id = o.customer_id
      where o.id = any($1::int[])
      order by o.id`,
    [orderIds],
  );
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    customer: { id: row.customer_id, name: row.customer_name, email: row.customer_email },
  }));
}
// #endregion legacy-customer-join
