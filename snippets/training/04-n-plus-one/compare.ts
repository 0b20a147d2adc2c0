// Module 4: the latest orders with their customer's name, one query per order versus one in all.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../app/database.ts';

type Queryable = Pick<pg.Pool, 'query'>;

// #region legacy
export async function legacyLatestOrdersWithCustomer(pool: Queryable, limit: number) {
  const { rows: orders } = await pool.query(`select id, customer_id from orders order by id desc limit $1`, [limit]);
  const result = [];
  for (const order of orders) {
    // One more round trip per order: 1 + N queries.
    const { rows } = await pool.query(`select name from customers where id = $1`, [order.customer_id]);
    result.push({ id: order.id, customer: { id: order.customer_id, name: rows[0].name } });
  }
  return result;
}
// #endregion legacy

// #region kysely
export async function latestOrdersWithCustomer(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('orders')
    .select((eb) => [
      'orders.id',
      // The related row arrives nested, as JSON, in the same query.
      jsonObjectFrom(
        eb.selectFrom('customers').select(['customers.id', 'customers.name']).whereRef('customers.id', '=', 'orders.customer_id'),
      )
        .$notNull()
        .as('customer'),
    ])
    .orderBy('orders.id', 'desc')
    .limit(limit)
    .execute();
}
// #endregion kysely
