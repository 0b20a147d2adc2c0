// Module 8: asking PostgreSQL for the plan of a query.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
export async function legacyExplainProductBySku(pool: pg.Pool, sku: string): Promise<string[]> {
  // The query text is copied into the EXPLAIN by hand, and drifts from the one the app runs.
  const { rows } = await pool.query(`explain select id, name from products where sku = $1`, [sku]);
  return rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']);
}
// #endregion legacy

// #region kysely
export function productBySkuQuery(db: Kysely<Database>, sku: string) {
  return db.selectFrom('products').select(['id', 'name']).where('sku', '=', sku);
}

export async function explainProductBySku(db: Kysely<Database>, sku: string): Promise<string[]> {
  // The very builder the app executes, explained: no second copy of the SQL.
  const rows = await productBySkuQuery(db, sku).explain();
  return rows.map((row) => String(row['QUERY PLAN']));
}
// #endregion kysely
