import assert from 'node:assert/strict';
import type { Exercise } from '../kit.ts';
import { createLegacyRepository } from '../../app/legacy-repository.ts';

type Module = typeof import('./solution.ts');

async function busiestCustomer(pool: import('pg').Pool): Promise<number> {
  const { rows } = await pool.query(`select customer_id from orders group by 1 order by count(*) desc, 1 limit 1`);
  return rows[0].customer_id;
}

export const exercise: Exercise<Module> = {
  number: 4,
  slug: '04-n-plus-one',
  title: 'N+1 and loading related rows',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'listOrdersWithLines returns the same orders, lines and totals as the legacy repository',
      hint: "Keep the order (created_at desc, id desc), order each order's lines by product id, and compute totalCents from the lines.",
      async run({ listOrdersWithLines }, { db, pool }) {
        const customerId = await busiestCustomer(pool);
        const expected = await createLegacyRepository(pool).listCustomerOrders(customerId);
        assert.ok(expected.length > 3);
        assert.deepEqual(await listOrdersWithLines(db, customerId), expected);
      },
    },
    {
      name: 'listOrdersWithLines sends at most 2 queries, however many orders the customer has',
      hint: "Do not query inside the loop. Load all lines with .where('order_items.order_id', 'in', orderIds) and group them with a Map, or nest them with jsonArrayFrom from 'kysely/helpers/postgres'.",
      async run({ listOrdersWithLines }, context) {
        const customerId = await busiestCustomer(context.pool);
        context.resetQueries();
        const orders = await listOrdersWithLines(context.db, customerId);
        assert.ok(orders.length > 3, 'the customer has several orders');
        assert.ok(context.queries() <= 2, `it sent ${context.queries()} queries for ${orders.length} orders`);
      },
    },
    {
      name: 'listOrdersWithLines returns an empty list for a customer without orders',
      hint: 'An empty list of ids must not reach `where ... in`: return [] early when there are no orders.',
      async run({ listOrdersWithLines }, { db }) {
        assert.deepEqual(await listOrdersWithLines(db, 999_999), []);
      },
    },
  ],
};
