// jsonArrayFrom puts the subquery's ORDER BY inside a derived table and aggregates that:
//   (select coalesce(json_agg(agg), '[]') from (select … order by …) as agg)
// PostgreSQL documents that feeding an aggregate from a sorted subquery "will usually work",
// not that it must. An ORDER BY inside the aggregate call is the form it guarantees.
import { sql, type Kysely } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { Database } from '../app/database.ts';
import type { OrderWithItems } from './load-orders-with-items.ts';

// #region ordered-json-agg
export async function loadWithOrderedJsonAgg(db: Kysely<Database>, orderIds: number[]): Promise<OrderWithItems[]> {
  return db
    .selectFrom('orders')
    .select((eb) => [
      'orders.id',
      'orders.customer_id as customerId',
      'orders.status',
      eb
        .selectFrom('order_items')
        .select((items) =>
          items.fn
            .coalesce(
              items.fn
                .jsonAgg(
                  jsonBuildObject({
                    productId: items.ref('order_items.product_id'),
                    quantity: items.ref('order_items.quantity'),
                    unitPriceCents: items.ref('order_items.unit_price_cents'),
                  }),
                )
                // The order belongs to the aggregate: json_agg(… order by …) is guaranteed.
                .orderBy('order_items.product_id'),
              sql<OrderWithItems['items']>`'[]'`,
            )
            .as('items'),
        )
        .whereRef('order_items.order_id', '=', 'orders.id')
        .$asScalar()
        .$notNull()
        .as('items'),
    ])
    .where('orders.id', '=', (eb) => eb.fn.any(sql<number[]>`${orderIds}::int[]`))
    .orderBy('orders.id')
    .execute();
}
// #endregion ordered-json-agg
