import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Exercise } from '../kit.ts';
import type { PlanNode } from './solution.ts';

type Module = Omit<typeof import('./solution.ts'), 'explainRecentOrders'>;

// A plan as PostgreSQL prints it, trimmed to what the walker needs.
const samplePlan: PlanNode = {
  'Node Type': 'Limit',
  Plans: [
    {
      'Node Type': 'Nested Loop',
      Plans: [
        { 'Node Type': 'Index Scan', 'Index Name': 'orders_customer_id_created_at_idx' },
        { 'Node Type': 'Bitmap Heap Scan', Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'order_items_pkey' }] },
      ],
    },
  ],
};

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

export const exercise: Exercise<Module> = {
  number: 8,
  slug: '08-explain',
  title: 'Reading EXPLAIN and query performance',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'summarizePlan lists every node type, depth-first',
      hint: 'Recurse: push the node\'s "Node Type", then visit each entry of node.Plans (it may be missing).',
      run({ summarizePlan }) {
        assert.deepEqual(summarizePlan(samplePlan).nodeTypes, [
          'Limit',
          'Nested Loop',
          'Index Scan',
          'Bitmap Heap Scan',
          'Bitmap Index Scan',
        ]);
        return Promise.resolve();
      },
    },
    {
      name: 'summarizePlan lists the indexes the plan reads',
      hint: 'Only some nodes carry "Index Name"; collect it when present.',
      run({ summarizePlan }) {
        assert.deepEqual(summarizePlan(samplePlan).indexes, ['orders_customer_id_created_at_idx', 'order_items_pkey']);
        return Promise.resolve();
      },
    },
    {
      name: "recentOrdersQuery returns a customer's newest orders first",
      hint: "selectFrom('orders'), select id and 'created_at as createdAt', where customer_id, orderBy('created_at', 'desc'), limit; return the builder without executing it.",
      async run({ recentOrdersQuery }, { db, pool }) {
        const { rows } = await pool.query(
          `select id, created_at as "createdAt" from orders where customer_id = 3 order by created_at desc limit 3`,
        );
        assert.deepEqual(await recentOrdersQuery(db, 3, 3).execute(), rows);
      },
    },
    {
      name: 'recentOrdersQuery can be answered in order from orders_customer_id_created_at_idx, with no Sort node',
      hint: "Filter on customer_id and sort on created_at desc only: the index is (customer_id, created_at desc), so its rows are already in that order. Look with: await query.explain('json').",
      async run({ recentOrdersQuery }, { db }) {
        // With a handful of rows the planner may still sort because sorting 5 rows is cheap;
        // enable_sort = off asks "could the index deliver this order?" (a Sort stays when it cannot).
        const [row] = await db.transaction().execute(async (trx) => {
          await sql`set local enable_sort = off`.execute(trx);
          return recentOrdersQuery(trx, 3, 5).explain('json');
        });
        const [explained] = row!['QUERY PLAN'] as { Plan: PlanNode }[];
        const nodes = nodesOf(explained!.Plan);
        assert.ok(
          nodes.some((node) => node['Index Name'] === 'orders_customer_id_created_at_idx'),
          `the plan reads ${nodes.map((n) => n['Index Name'] ?? n['Node Type']).join(' > ')}`,
        );
        assert.ok(!nodes.some((node) => node['Node Type'] === 'Sort'), 'the plan sorts the rows itself');
      },
    },
  ],
};
