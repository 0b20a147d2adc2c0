// Raw SQL read idioms and their Kysely forms. Each pair returns the same rows:
// test/snippets/quick-reference/reads.test.ts runs both and compares.
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type pg from 'pg';
import type { Database } from '../app/database.ts';

export type Client = pg.Pool | pg.PoolClient;
export interface Pair {
  title: string;
  raw(client: Client): Promise<unknown[]>;
  kysely(db: Kysely<Database>): Promise<unknown[]>;
}

export const selectColumns: Pair = {
  title: 'Select and rename columns',
  // #region select-columns-sql
  raw: async (client) => (await client.query(`select id, price_cents as "priceCents" from products order by id limit 3`)).rows,
  // #endregion select-columns-sql
  // #region select-columns-kysely
  kysely: (db) => db.selectFrom('products').select(['id', 'price_cents as priceCents']).orderBy('id').limit(3).execute(),
  // #endregion select-columns-kysely
};

export const whereAndOr: Pair = {
  title: 'AND and OR in a WHERE clause',
  // #region where-and-or-sql
  raw: async (client) =>
    (await client.query(`select id from products where active and (stock = 0 or price_cents < $1) order by id limit 5`, [500])).rows,
  // #endregion where-and-or-sql
  // #region where-and-or-kysely
  kysely: (db) =>
    db
      .selectFrom('products')
      .select('id')
      .where('active', '=', true)
      .where((eb) => eb.or([eb('stock', '=', 0), eb('price_cents', '<', 500)]))
      .orderBy('id')
      .limit(5)
      .execute(),
  // #endregion where-and-or-kysely
};

export const inList: Pair = {
  title: 'Match any value of a list',
  // #region in-list-sql
  raw: async (client) => (await client.query(`select id, sku from products where id = any($1) order by id`, [[3, 5, 8]])).rows,
  // #endregion in-list-sql
  // #region in-list-kysely
  kysely: (db) => db.selectFrom('products').select(['id', 'sku']).where('id', 'in', [3, 5, 8]).orderBy('id').execute(),
  // #endregion in-list-kysely
};

export const patternMatch: Pair = {
  title: 'Case-insensitive pattern match',
  // #region ilike-sql
  raw: async (client) => (await client.query(`select id, name from products where name ilike $1 order by id limit 5`, ['%kettle%'])).rows,
  // #endregion ilike-sql
  // #region ilike-kysely
  kysely: (db) => db.selectFrom('products').select(['id', 'name']).where('name', 'ilike', '%kettle%').orderBy('id').limit(5).execute(),
  // #endregion ilike-kysely
};

export const isNull: Pair = {
  title: 'IS NULL',
  // #region is-null-sql
  raw: async (client) => (await client.query(`select id, name from categories where parent_id is null order by id`)).rows,
  // #endregion is-null-sql
  // #region is-null-kysely
  kysely: (db) => db.selectFrom('categories').select(['id', 'name']).where('parent_id', 'is', null).orderBy('id').execute(),
  // #endregion is-null-kysely
};

export const pageOffset: Pair = {
  title: 'ORDER BY, LIMIT and OFFSET',
  // #region limit-offset-sql
  raw: async (client) => (await client.query(`select id from orders order by created_at desc, id desc limit $1 offset $2`, [5, 10])).rows,
  // #endregion limit-offset-sql
  // #region limit-offset-kysely
  kysely: (db) => db.selectFrom('orders').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(5).offset(10).execute(),
  // #endregion limit-offset-kysely
};

export const groupHaving: Pair = {
  title: 'GROUP BY with HAVING',
  // #region group-having-sql
  raw: async (client) =>
    (
      await client.query(
        `select customer_id, count(*) as orders from orders group by customer_id having count(*) >= $1 order by customer_id`,
        [9],
      )
    ).rows,
  // #endregion group-having-sql
  // #region group-having-kysely
  kysely: (db) =>
    db
      .selectFrom('orders')
      .select((eb) => ['customer_id', eb.fn.countAll<number>().as('orders')])
      .groupBy('customer_id')
      .having((eb) => eb.fn.countAll(), '>=', 9)
      .orderBy('customer_id')
      .execute(),
  // #endregion group-having-kysely
};

export const innerJoin: Pair = {
  title: 'Inner join',
  // #region inner-join-sql
  raw: async (client) =>
    (await client.query(`select o.id, c.email from orders o join customers c on c.id = o.customer_id order by o.id limit 5`)).rows,
  // #endregion inner-join-sql
  // #region inner-join-kysely
  kysely: (db) =>
    db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select(['o.id', 'c.email'])
      .orderBy('o.id')
      .limit(5)
      .execute(),
  // #endregion inner-join-kysely
};

export const exists: Pair = {
  title: 'EXISTS subquery',
  // #region exists-sql
  raw: async (client) =>
    (
      await client.query(
        `select p.id from products p
          where exists (select 1 from order_items oi where oi.product_id = p.id and oi.quantity = 3)
          order by p.id limit 5`,
      )
    ).rows,
  // #endregion exists-sql
  // #region exists-kysely
  kysely: (db) =>
    db
      .selectFrom('products as p')
      .select('p.id')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('order_items as oi')
            .select(sql.lit(1).as('one'))
            .whereRef('oi.product_id', '=', 'p.id')
            .where('oi.quantity', '=', 3),
        ),
      )
      .orderBy('p.id')
      .limit(5)
      .execute(),
  // #endregion exists-kysely
};

export const withCte: Pair = {
  title: 'Common table expression (WITH)',
  // #region cte-sql
  raw: async (client) =>
    (
      await client.query(
        `with big_orders as (
           select order_id, sum(quantity * unit_price_cents) as total from order_items group by order_id
         )
         select order_id, total from big_orders where total > $1 order by total desc, order_id limit 5`,
        [100_000],
      )
    ).rows,
  // #endregion cte-sql
  // #region cte-kysely
  kysely: (db) =>
    db
      .with('big_orders', (qb) =>
        qb
          .selectFrom('order_items')
          .select((eb) => ['order_id', eb.fn.sum<number>(eb('quantity', '*', eb.ref('unit_price_cents'))).as('total')])
          .groupBy('order_id'),
      )
      .selectFrom('big_orders')
      .select(['order_id', 'total'])
      .where('total', '>', 100_000)
      .orderBy('total', 'desc')
      .orderBy('order_id')
      .limit(5)
      .execute(),
  // #endregion cte-kysely
};

export const windowRank: Pair = {
  title: 'Window function: rank within a group',
  // #region window-sql
  raw: async (client) =>
    (
      await client.query(
        `select id, category_id, row_number() over (partition by category_id order by price_cents desc, id) as rank
           from products where category_id <= 2 order by category_id, rank`,
      )
    ).rows,
  // #endregion window-sql
  // #region window-kysely
  kysely: (db) =>
    db
      .selectFrom('products')
      .select((eb) => [
        'id',
        'category_id',
        eb.fn
          .agg<number>('row_number')
          .over((ob) => ob.partitionBy('category_id').orderBy('price_cents', 'desc').orderBy('id'))
          .as('rank'),
      ])
      .where('category_id', '<=', 2)
      .orderBy('category_id')
      .orderBy('rank')
      .execute(),
  // #endregion window-kysely
};

export const distinctOn: Pair = {
  title: 'DISTINCT ON: latest row per group',
  // #region distinct-on-sql
  raw: async (client) =>
    (
      await client.query(
        `select distinct on (customer_id) customer_id, id as "latestOrderId"
           from orders where customer_id <= 5 order by customer_id, created_at desc, id desc`,
      )
    ).rows,
  // #endregion distinct-on-sql
  // #region distinct-on-kysely
  kysely: (db) =>
    db
      .selectFrom('orders')
      .distinctOn('customer_id')
      .select(['customer_id', 'id as latestOrderId'])
      .where('customer_id', '<=', 5)
      .orderBy('customer_id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  // #endregion distinct-on-kysely
};

export const caseCoalesce: Pair = {
  title: 'CASE and COALESCE',
  // #region case-coalesce-sql
  raw: async (client) =>
    (
      await client.query(
        `select products.id, case when stock = 0 then 'sold out' else 'available' end as availability,
                coalesce(parent_id, 0) as parent
           from products join categories on categories.id = products.category_id
          order by products.id limit 8`,
      )
    ).rows,
  // #endregion case-coalesce-sql
  // #region case-coalesce-kysely
  kysely: (db) =>
    db
      .selectFrom('products')
      .innerJoin('categories', 'categories.id', 'products.category_id')
      .select((eb) => [
        'products.id',
        eb.case().when('stock', '=', 0).then('sold out').else('available').end().as('availability'),
        eb.fn.coalesce('parent_id', sql.lit(0)).as('parent'),
      ])
      .orderBy('products.id')
      .limit(8)
      .execute(),
  // #endregion case-coalesce-kysely
};

export const nestedJson: Pair = {
  title: 'Nest child rows as a JSON array',
  // #region json-agg-sql
  raw: async (client) =>
    (
      await client.query(
        `select o.id,
                coalesce((select json_agg(json_build_object('productId', oi.product_id, 'quantity', oi.quantity) order by oi.product_id)
                            from order_items oi where oi.order_id = o.id), '[]') as lines
           from orders o order by o.id limit 3`,
      )
    ).rows,
  // #endregion json-agg-sql
  // #region json-agg-kysely
  kysely: (db) =>
    db
      .selectFrom('orders as o')
      .select((eb) => [
        'o.id',
        jsonArrayFrom(
          eb
            .selectFrom('order_items as oi')
            .select(['oi.product_id as productId', 'oi.quantity'])
            .whereRef('oi.order_id', '=', 'o.id')
            .orderBy('oi.product_id'),
        ).as('lines'),
      ])
      .orderBy('o.id')
      .limit(3)
      .execute(),
  // #endregion json-agg-kysely
};

export const readPairs = {
  selectColumns,
  whereAndOr,
  inList,
  patternMatch,
  isNull,
  pageOffset,
  groupHaving,
  innerJoin,
  exists,
  withCte,
  windowRank,
  distinctOn,
  caseCoalesce,
  nestedJson,
};
