// Exercise 8: reading EXPLAIN and query performance. Run `npm run exercise -- 8` to check.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../../app/database.ts';

/** One node of `EXPLAIN (FORMAT JSON)` output; child nodes are under "Plans". */
export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export type RecentOrdersQuery = SelectQueryBuilder<Database, 'orders', { id: number; createdAt: Date }>;

export function summarizePlan(plan: PlanNode): { nodeTypes: string[]; indexes: string[] } {
  // TODO: walk the tree depth-first (a node, then its Plans in order) and collect every
  //       'Node Type', and every 'Index Name' that is present.
  throw new Error('TODO: implement summarizePlan');
}

// Legacy (sorts every order of the customer, then keeps a few):
//   select id, created_at as "createdAt" from orders where customer_id = $1
//    order by created_at desc limit $2
export function recentOrdersQuery(db: Kysely<Database>, customerId: number, limit: number): RecentOrdersQuery {
  // TODO: return the query (do not execute it) so a caller can .execute() or .explain() it.
  //       Migration 0004 created an index on orders (customer_id, created_at desc):
  //       filter and sort so PostgreSQL can read the newest rows straight from it, no Sort.
  throw new Error('TODO: implement recentOrdersQuery');
}
