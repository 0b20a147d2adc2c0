import { describe, expect, test } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { QueryBudgetExceeded, withinQueryBudget } from '../../../snippets/troubleshooting/query-budget.ts';
import { evidencePath, queryCounts } from '../../support/evidence.ts';

describe('a query budget catches an N+1 regression', () => {
  // #region regression-test
  test('loading a customer’s orders sends one query however many orders there are', async ({ database }) => {
    // A pool of its own: nothing else in the file can add to the count.
    const pool = createPool(database.url, 2);
    const repo = createKyselyRepository(createKysely(pool));
    try {
      const busiest = await pool.query(`select customer_id as id, count(*)::int as n from orders group by 1 order by 2 desc, 1 limit 1`);
      const quietest = await pool.query(`select customer_id as id from orders group by 1 having count(*) = 1 order by 1 limit 1`);
      for (const { id } of [...busiest.rows, ...quietest.rows]) {
        await withinQueryBudget(pool, 1, () => repo.listCustomerOrders(id));
      }
    } finally {
      await pool.end();
    }
  });
  // #endregion regression-test

  test('the legacy loop breaks the budget, and the error names the repeated statement', async ({ database }) => {
    const pool = createPool(database.url, 2);
    try {
      const { rows } = await pool.query(`select customer_id as id, count(*)::int as n from orders group by 1 order by 2 desc, 1 limit 1`);
      const { id, n } = rows[0];
      const failure = await withinQueryBudget(pool, 1, () => createLegacyRepository(pool).listCustomerOrders(id)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(QueryBudgetExceeded);
      const error = failure as QueryBudgetExceeded;
      expect(error.statements).toHaveLength(1 + n);
      expect(error.message).toMatch(new RegExp(`^sent ${1 + n} queries, budget 1; most repeated \\(${n}×\\): select oi.product_id`));
      await expect(`${error.message}\n`).toMatchFileSnapshot(evidencePath('troubleshooting', 'query-budget.error.txt'));

      const kysely = await withinQueryBudget(pool, 1, () => createKyselyRepository(createKysely(pool)).listCustomerOrders(id));
      await expect(
        queryCounts({ [`legacy listCustomerOrders, customer with ${n} orders`]: 1 + n, [`kysely listCustomerOrders, same customer`]: 1 }),
      ).toMatchFileSnapshot(evidencePath('troubleshooting', 'list-customer-orders.queries.json'));
      expect(kysely).toHaveLength(n);
    } finally {
      await pool.end();
    }
  });
});
