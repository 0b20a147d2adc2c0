// Filters that depend on the request, without building SQL strings by hand.
import type pg from 'pg';
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../app/database.ts';

export interface OrderSearch {
  statuses?: string[];
  customerId?: number;
  placedFrom?: Date;
  placedBefore?: Date;
  /** Orders that contain this product. */
  containsProductId?: number;
  sort?: 'newest' | 'oldest';
  limit: number;
}

export interface FoundOrder {
  id: number;
  customerId: number;
  status: string;
  createdAt: Date;
}

// #region search-legacy
export async function searchOrdersLegacy(pool: pg.Pool, search: OrderSearch): Promise<FoundOrder[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  // Every branch must push the value and then use params.length: get one wrong and the
  // query binds a value to the wrong placeholder, which may still run.
  if (search.statuses?.length) {
    params.push(search.statuses);
    conditions.push(`status = any($${params.length}::text[])`);
  }
  if (search.customerId !== undefined) {
    params.push(search.customerId);
    conditions.push(`customer_id = $${params.length}`);
  }
  if (search.placedFrom) {
    params.push(search.placedFrom);
    conditions.push(`created_at >= $${params.length}`);
  }
  if (search.placedBefore) {
    params.push(search.placedBefore);
    conditions.push(`created_at < $${params.length}`);
  }
  if (search.containsProductId !== undefined) {
    params.push(search.containsProductId);
    conditions.push(`exists (select 1 from order_items oi where oi.order_id = orders.id and oi.product_id = $${params.length})`);
  }
  const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
  const direction = search.sort === 'oldest' ? 'asc' : 'desc';
  params.push(search.limit);
  const { rows } = await pool.query(
    `select id, customer_id as "customerId", status, created_at as "createdAt" from orders ${where}
      order by created_at ${direction}, id ${direction} limit $${params.length}`,
    params,
  );
  return rows;
}
// #endregion search-legacy

// #region search-kysely
export async function searchOrders(db: Kysely<Database>, search: OrderSearch): Promise<FoundOrder[]> {
  const direction = search.sort === 'oldest' ? 'asc' : 'desc';
  return (
    db
      .selectFrom('orders')
      .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
      .where((eb) => {
        // Collect typed conditions; Kysely numbers the parameters. No filter at all compiles to `1 = 1`.
        const conditions: Expression<SqlBool>[] = [];
        if (search.statuses?.length) conditions.push(eb('status', 'in', search.statuses));
        if (search.customerId !== undefined) conditions.push(eb('customer_id', '=', search.customerId));
        if (search.placedFrom) conditions.push(eb('created_at', '>=', search.placedFrom));
        if (search.placedBefore) conditions.push(eb('created_at', '<', search.placedBefore));
        if (search.containsProductId !== undefined) {
          conditions.push(
            eb.exists(
              eb
                .selectFrom('order_items as oi')
                .select('oi.product_id')
                .whereRef('oi.order_id', '=', 'orders.id')
                .where('oi.product_id', '=', search.containsProductId),
            ),
          );
        }
        return eb.and(conditions);
      })
      // The direction is one of two literals, checked by the type, never text from the request.
      .orderBy('created_at', direction)
      .orderBy('id', direction)
      .limit(search.limit)
      .execute()
  );
}
// #endregion search-kysely
