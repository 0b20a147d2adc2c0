// Exercise 7: dynamic queries without string building. Run `npm run exercise -- 7` to check.
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

// Legacy: `let where = 'where true'`, then `where += ' and status = any($' + params.length + ')'`
// for each filter that is set, and `order by created_at ` + (sort === 'oldest' ? 'asc' : 'desc').
export async function searchOrders(db: Kysely<Database>, filter: OrderFilter): Promise<OrderSummary[]> {
  // TODO: build the query with Kysely, adding a where() only for each filter that is set
  //       (hint: .$if(condition, (qb) => qb.where(...))). Sort by created_at in the chosen
  //       direction, then by id in the same direction, and apply the limit.
  throw new Error('TODO: implement searchOrders');
}
