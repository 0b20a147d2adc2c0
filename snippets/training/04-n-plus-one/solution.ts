// Exercise 4, solved: two queries whatever the number of orders. The second loads
// the lines of every order at once; JavaScript groups them.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';
import type { OrderLine, OrderWithLines } from '../../app/storefront-repository.ts';

// #region batch-load
export async function listOrdersWithLines(db: Kysely<Database>, customerId: number): Promise<OrderWithLines[]> {
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  if (orders.length === 0) return []; // `in ()` is not valid SQL: do not send it.

  const lines = await db
    .selectFrom('order_items')
    .innerJoin('products', 'products.id', 'order_items.product_id')
    .select([
      'order_items.order_id as orderId',
      'order_items.product_id as productId',
      'products.name as productName',
      'order_items.quantity',
      'order_items.unit_price_cents as unitPriceCents',
    ])
    .where(
      'order_items.order_id',
      'in',
      orders.map((order) => order.id),
    )
    .orderBy('order_items.product_id')
    .execute();

  const linesByOrder = new Map<number, OrderLine[]>();
  for (const { orderId, ...line } of lines) {
    const list = linesByOrder.get(orderId) ?? [];
    list.push(line);
    linesByOrder.set(orderId, list);
  }
  return orders.map((order) => {
    const own = linesByOrder.get(order.id) ?? [];
    return { ...order, lines: own, totalCents: own.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0) };
  });
}
// #endregion batch-load
