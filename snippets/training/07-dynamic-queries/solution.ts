// Exercise 7, solved: every optional filter is a `$if`; values are always parameters.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface OrderFilter {
  customerId?: number;
  /** Any of these statuses; undefined or empty means any status. */
  statuses?: string[];
  /** created_at >= createdFrom */
  createdFrom?: Date;
  /** created_at < createdBefore */
  createdBefore?: Date;
  /** Default 'newest'. */
  sort?: 'newest' | 'oldest';
  /** Default 20. */
  limit?: number;
}

export interface OrderSummary {
  id: number;
  customerId: number;
  status: string;
  createdAt: Date;
}

// #region search-orders
export async function searchOrders(db: Kysely<Database>, filter: OrderFilter): Promise<OrderSummary[]> {
  // The direction comes from a closed set, never from the caller's string.
  const direction = filter.sort === 'oldest' ? 'asc' : 'desc';
  return db
    .selectFrom('orders')
    .select(['id', 'customer_id as customerId', 'status', 'created_at as createdAt'])
    .$if(filter.customerId !== undefined, (qb) => qb.where('customer_id', '=', filter.customerId!))
    .$if(Boolean(filter.statuses?.length), (qb) => qb.where('status', 'in', filter.statuses!))
    .$if(filter.createdFrom !== undefined, (qb) => qb.where('created_at', '>=', filter.createdFrom!))
    .$if(filter.createdBefore !== undefined, (qb) => qb.where('created_at', '<', filter.createdBefore!))
    .orderBy('created_at', direction)
    .orderBy('id', direction)
    .limit(filter.limit ?? 20)
    .execute();
}
// #endregion search-orders
