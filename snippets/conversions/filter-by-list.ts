// Filtering by a list of values: the two ways a converted `where … in` breaks where the
// legacy `= any($1)` did not — an empty list, and a list longer than the protocol allows.
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

// #region legacy-any
export async function orderIdsByStatusLegacy(pool: pg.Pool, statuses: string[]): Promise<number[]> {
  // One array parameter, whatever the length; an empty array simply matches nothing.
  const { rows } = await pool.query(`select id from orders where status = any($1::text[]) order by id`, [statuses]);
  return rows.map((row) => row.id as number);
}
// #endregion legacy-any

// #region empty-list-pitfall
export async function orderIdsByStatusUnguarded(db: Kysely<Database>, statuses: string[]): Promise<number[]> {
  // With statuses = [] this compiles to `where "status" in ()`, which PostgreSQL rejects.
  const rows = await db.selectFrom('orders').select('id').where('status', 'in', statuses).orderBy('id').execute();
  return rows.map((row) => row.id);
}
// #endregion empty-list-pitfall

// #region empty-list-guard
export async function orderIdsByStatus(db: Kysely<Database>, statuses: string[]): Promise<number[]> {
  // Nothing can match an empty list: answer without asking the database.
  if (statuses.length === 0) return [];
  const rows = await db.selectFrom('orders').select('id').where('status', 'in', statuses).orderBy('id').execute();
  return rows.map((row) => row.id);
}
// #endregion empty-list-guard

// #region any-array
export async function ordersByIds(db: Kysely<Database>, ids: number[]): Promise<{ id: number; status: string }[]> {
  // One parameter holding an int[]: the same statement for 0, 10 or 100,000 ids.
  return db
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('id', '=', (eb) => eb.fn.any(sql<number[]>`${ids}::int[]`))
    .orderBy('id')
    .execute();
}
// #endregion any-array

// `in` binds one parameter per element. PostgreSQL's bind message counts parameters in 16 bits,
// so a statement can carry at most 65,535 of them.
// #region in-list-pitfall
export async function ordersByIdsInList(db: Kysely<Database>, ids: number[]): Promise<{ id: number; status: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('orders').select(['id', 'status']).where('id', 'in', ids).orderBy('id').execute();
}
// #endregion in-list-pitfall

export interface NewCustomer {
  email: string;
  name: string;
}

// #region insert-values-pitfall
export async function addCustomersWithValues(db: Kysely<Database>, customers: NewCustomer[]): Promise<number> {
  // Two parameters per row: 32,768 rows or more cannot be sent as one statement.
  const result = await db.insertInto('customers').values(customers).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
// #endregion insert-values-pitfall

// #region insert-unnest
export async function addCustomersWithUnnest(db: Kysely<Database>, customers: NewCustomer[]): Promise<number> {
  // One array per column: two parameters however many rows. unnest() turns them back into rows.
  const result = await db
    .insertInto('customers')
    .columns(['email', 'name'])
    .expression(sql`select * from unnest(${customers.map((c) => c.email)}::text[], ${customers.map((c) => c.name)}::text[])`)
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
// #endregion insert-unnest
