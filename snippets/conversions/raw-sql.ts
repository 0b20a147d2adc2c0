// The `sql` template: for the SQL the builder has no method for. Interpolated values
// become bound parameters ($1, $2, ...), never text spliced into the query.
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export interface DayCount {
  day: string;
  orders: number;
}

// #region daily-orders-legacy
export async function dailyOrdersLegacy(pool: pg.Pool, firstDay: string, days: number): Promise<DayCount[]> {
  const { rows } = await pool.query(
    `select to_char(d.day, 'YYYY-MM-DD') as day, count(o.id)::int as orders
       from generate_series($1::date, $1::date + ($2::int - 1), interval '1 day') as d(day)
       left join orders o on (o.created_at at time zone 'UTC')::date = d.day
      group by d.day
      order by d.day`,
    [firstDay, days],
  );
  return rows;
}
// #endregion daily-orders-legacy

// #region daily-orders-kysely
export async function dailyOrders(db: Kysely<Database>, firstDay: string, days: number): Promise<DayCount[]> {
  // generate_series as a table has no builder method: the whole query is a template,
  // still executed through Kysely (logging, plugins, the transaction you pass in).
  const { rows } = await sql<DayCount>`
    select to_char(d.day, 'YYYY-MM-DD') as day, count(o.id)::int as orders
      from generate_series(${firstDay}::date, ${firstDay}::date + (${days}::int - 1), interval '1 day') as d(day)
      left join orders o on (o.created_at at time zone 'UTC')::date = d.day
     group by d.day
     order by d.day`.execute(db);
  return rows;
}
// #endregion daily-orders-kysely

// #region search-legacy
export async function searchProductsLegacy(pool: pg.Pool, words: string): Promise<{ id: number; name: string }[]> {
  const { rows } = await pool.query(
    `select id, name from products
      where active and to_tsvector('simple', name) @@ plainto_tsquery('simple', $1)
      order by id limit 20`,
    [words],
  );
  return rows;
}
// #endregion search-legacy

// #region search-kysely
export async function searchProducts(db: Kysely<Database>, words: string): Promise<{ id: number; name: string }[]> {
  return (
    db
      .selectFrom('products')
      .select(['id', 'name'])
      .where('active', '=', true)
      // One fragment for the full-text operator; the rest of the query stays typed.
      .where(sql<boolean>`to_tsvector('simple', name) @@ plainto_tsquery('simple', ${words})`)
      .orderBy('id')
      .limit(20)
      .execute()
  );
}
// #endregion search-kysely

export const SORTABLE_COLUMNS = ['name', 'price_cents', 'stock'] as const;
export type SortColumn = (typeof SORTABLE_COLUMNS)[number];

// #region identifier-kysely
export async function productsSortedBy(db: Kysely<Database>, column: SortColumn, limit: number): Promise<{ id: number; name: string }[]> {
  // An identifier cannot be a bound parameter. sql.ref quotes it as one; the type (and the
  // check below, for values that arrive from JSON) keeps it to the columns we allow.
  if (!SORTABLE_COLUMNS.includes(column)) throw new Error(`cannot sort by ${String(column)}`);
  return db.selectFrom('products').select(['id', 'name']).orderBy(sql.ref(column)).orderBy('id').limit(limit).execute();
}
// #endregion identifier-kysely
