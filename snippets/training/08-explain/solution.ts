// Exercise 8, solved: a plan walker, and a query the composite index answers in order.
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

// #region summarize-plan
export function summarizePlan(plan: PlanNode): { nodeTypes: string[]; indexes: string[] } {
  const nodeTypes: string[] = [];
  const indexes: string[] = [];
  const visit = (node: PlanNode) => {
    nodeTypes.push(node['Node Type']);
    if (node['Index Name']) indexes.push(node['Index Name']);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return { nodeTypes, indexes };
}
// #endregion summarize-plan

// #region recent-orders
export function recentOrdersQuery(db: Kysely<Database>, customerId: number, limit: number): RecentOrdersQuery {
  return db
    .selectFrom('orders')
    .select(['id', 'created_at as createdAt'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .limit(limit);
}
// #endregion recent-orders

// #region explain-recent-orders
export async function explainRecentOrders(db: Kysely<Database>, customerId: number) {
  // Kysely prefixes the compiled query with EXPLAIN (FORMAT JSON); the plan is one row.
  const [row] = await recentOrdersQuery(db, customerId, 5).explain('json');
  const [explained] = row!['QUERY PLAN'] as { Plan: PlanNode }[];
  return summarizePlan(explained!.Plan);
}
// #endregion explain-recent-orders
