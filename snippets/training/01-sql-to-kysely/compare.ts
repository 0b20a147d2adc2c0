// Module 1: the same lookup, as the team wrote it and as it is written now.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
export async function legacyCustomerByEmail(pool: pg.Pool, email: string) {
  const { rows } = await pool.query(`select id, name, email from customers where email = $1`, [email]);
  return rows[0]; // any: a typo in a column name only shows up at run time
}
// #endregion legacy

// #region kysely
export async function customerByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('customers').select(['id', 'name', 'email']).where('email', '=', email).executeTakeFirst();
}
// #endregion kysely

// #region compile-only
export function customerByEmailQuery(db: Kysely<Database>, email: string) {
  // .compile() builds the SQL and its parameters without sending anything.
  return db.selectFrom('customers').select(['id', 'name', 'email']).where('email', '=', email).compile();
}
// #endregion compile-only
