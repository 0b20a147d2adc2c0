// Reading: select with where, a join, and aggregates with a left join and HAVING.
// Each query exists twice, as the legacy SQL string on pg and as Kysely; the test
// (test/snippets/conversions/select-rows.test.ts) runs both and compares the results.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export interface ProductSummary {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
}

// #region select-legacy
export async function cheapProductsLegacy(pool: pg.Pool, categoryId: number, maxPriceCents: number): Promise<ProductSummary[]> {
  const { rows } = await pool.query(
    `select id, sku, name, price_cents as "priceCents"
       from products
      where category_id = $1 and active and price_cents <= $2
      order by price_cents, id`,
    [categoryId, maxPriceCents],
  );
  return rows;
}
// #endregion select-legacy

// #region select-kysely
export async function cheapProducts(db: Kysely<Database>, categoryId: number, maxPriceCents: number): Promise<ProductSummary[]> {
  return db
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'price_cents as priceCents'])
    .where('category_id', '=', categoryId)
    .where('active', '=', true)
    .where('price_cents', '<=', maxPriceCents)
    .orderBy('price_cents')
    .orderBy('id')
    .execute();
}
// #endregion select-kysely

export interface RecentOrder {
  orderId: number;
  status: string;
  createdAt: Date;
  customerName: string;
}

// #region join-legacy
export async function recentOrdersLegacy(pool: pg.Pool, statuses: string[], limit: number): Promise<RecentOrder[]> {
  const { rows } = await pool.query(
    `select o.id as "orderId", o.status, o.created_at as "createdAt", c.name as "customerName"
       from orders o
       join customers c on c.id = o.customer_id
      where o.status = any($1::text[])
      order by o.created_at desc, o.id desc
      limit $2`,
    [statuses, limit],
  );
  return rows;
}
// #endregion join-legacy

// #region join-kysely
export async function recentOrders(db: Kysely<Database>, statuses: string[], limit: number): Promise<RecentOrder[]> {
  // `in ()` is a syntax error; the legacy `= any($1)` matched nothing, and so must we.
  if (statuses.length === 0) return [];
  return db
    .selectFrom('orders as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select(['o.id as orderId', 'o.status', 'o.created_at as createdAt', 'c.name as customerName'])
    .where('o.status', 'in', statuses)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
}
// #endregion join-kysely

export interface CategoryStock {
  categoryId: number;
  name: string;
  products: number;
  unitsInStock: number;
  cheapestCents: number | null;
}

// #region aggregate-legacy
export async function categoryStockLegacy(pool: pg.Pool, minProducts: number): Promise<CategoryStock[]> {
  const { rows } = await pool.query(
    `select c.id as "categoryId", c.name,
            count(p.id) as products,
            coalesce(sum(p.stock), 0) as "unitsInStock",
            min(p.price_cents) as "cheapestCents"
       from categories c
       left join products p on p.category_id = c.id and p.active
      group by c.id, c.name
     having count(p.id) >= $1
      order by products desc, c.id`,
    [minProducts],
  );
  return rows;
}
// #endregion aggregate-legacy

// #region aggregate-kysely
export async function categoryStock(db: Kysely<Database>, minProducts: number): Promise<CategoryStock[]> {
  return (
    db
      .selectFrom('categories as c')
      // The join condition keeps inactive products out without dropping empty categories.
      .leftJoin('products as p', (join) => join.onRef('p.category_id', '=', 'c.id').on('p.active', '=', true))
      .select((eb) => [
        'c.id as categoryId',
        'c.name',
        eb.fn.count<number>('p.id').as('products'),
        eb.fn.coalesce(eb.fn.sum<number>('p.stock'), eb.lit(0)).as('unitsInStock'),
        eb.fn.min('p.price_cents').as('cheapestCents'),
      ])
      .groupBy(['c.id', 'c.name'])
      .having((eb) => eb.fn.count('p.id'), '>=', minProducts)
      .orderBy('products', 'desc')
      .orderBy('c.id')
      .execute()
  );
}
// #endregion aggregate-kysely
