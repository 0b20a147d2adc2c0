// Exercise 4: N+1 and loading related rows. Run `npm run exercise -- 4` to check.
// This version is correct but sends 1 + (number of orders) queries, like the legacy
// repository's listCustomerOrders. The check allows at most 2 queries, whatever the
// number of orders.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';
import type { OrderWithLines } from '../../app/storefront-repository.ts';

export async function listOrdersWithLines(db: Kysely<Database>, customerId: number): Promise<OrderWithLines[]> {
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const result: OrderWithLines[] = [];
  // TODO: this loop sends one query per order (N+1). Load the lines of all the orders in
  //       one query (where order_id in (...), or a jsonArrayFrom subquery), then group
  //       them by order in JavaScript.
  for (const order of orders) {
    const lines = await db
      .selectFrom('order_items')
      .innerJoin('products', 'products.id', 'order_items.product_id')
      .select([
        'order_items.product_id as productId',
        'products.name as productName',
        'order_items.quantity',
        'order_items.unit_price_cents as unitPriceCents',
      ])
      .where('order_items.order_id', '=', order.id)
      .orderBy('order_items.product_id')
      .execute();
    result.push({ ...order, lines, totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0) });
  }
  return result;
}
