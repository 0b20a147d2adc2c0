import assert from 'node:assert/strict';
import type pg from 'pg';
import type { Check, Exercise } from '../kit.ts';
import type { OrderFilter } from './solution.ts';

type Module = typeof import('./solution.ts');

// The expected answer, from one static SQL statement: a null parameter switches a filter off.
async function expected(pool: pg.Pool, filter: OrderFilter) {
  const direction = filter.sort === 'oldest' ? 'asc' : 'desc';
  const { rows } = await pool.query(
    `select id, customer_id as "customerId", status, created_at as "createdAt" from orders
      where ($1::int is null or customer_id = $1)
        and ($2::text[] is null or cardinality($2::text[]) = 0 or status = any($2))
        and ($3::timestamptz is null or created_at >= $3)
        and ($4::timestamptz is null or created_at < $4)
      order by created_at ${direction}, id ${direction}
      limit $5`,
    [filter.customerId ?? null, filter.statuses ?? null, filter.createdFrom ?? null, filter.createdBefore ?? null, filter.limit ?? 20],
  );
  return rows;
}

const scenarios: [string, OrderFilter][] = [
  ['no filter', {}],
  ['a customer', { customerId: 7 }],
  ['two statuses', { statuses: ['paid', 'shipped'] }],
  ['an empty status list', { statuses: [] }],
  [
    'a date range, oldest first',
    { createdFrom: new Date('2026-01-10T00:00:00Z'), createdBefore: new Date('2026-01-20T00:00:00Z'), sort: 'oldest', limit: 50 },
  ],
  ['everything at once', { customerId: 7, statuses: ['shipped'], createdFrom: new Date('2026-01-01T00:00:00Z'), sort: 'oldest', limit: 5 }],
];

export const exercise: Exercise<Module> = {
  number: 7,
  slug: '07-dynamic-queries',
  title: 'Dynamic queries without string building',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    ...scenarios.map(([label, filter]): Check<Module> => ({
      name: `searchOrders with ${label} returns the right orders in the right order`,
      hint: "One .$if(condition, (qb) => qb.where(...)) per optional filter; 'in' takes an array; sort on created_at, then id, both in the chosen direction.",
      async run({ searchOrders }, { db, pool }) {
        assert.deepEqual(await searchOrders(db, filter), await expected(pool, filter));
      },
    })),
    {
      name: 'searchOrders treats a status as a value, never as SQL',
      hint: 'Never splice a filter value into SQL text; pass it to .where() and Kysely sends it as a parameter.',
      async run({ searchOrders }, { db }) {
        assert.deepEqual(await searchOrders(db, { statuses: ["paid' or 'x'='x"] }), []);
      },
    },
  ],
};
