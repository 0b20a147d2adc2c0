// Searching by part of a name with ILIKE: the user's text must be escaped before it becomes
// a pattern, in the legacy code and in Kysely alike. Binding it as a parameter stops SQL
// injection; it does not stop `%` and `_` from being wildcards.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';
import { escapeLike } from '../app/escape-like.ts';

// #region search-legacy
export async function productNamesContainingLegacy(pool: pg.Pool, text: string): Promise<string[]> {
  // Safe from injection, but "50%" is still the pattern %50%% here.
  const { rows } = await pool.query(`select name from products where name ilike '%' || $1 || '%' order by name, id`, [text]);
  return rows.map((row) => row.name as string);
}
// #endregion search-legacy

// #region search-unescaped
export async function productNamesContainingUnescaped(db: Kysely<Database>, text: string): Promise<string[]> {
  const rows = await db.selectFrom('products').select('name').where('name', 'ilike', `%${text}%`).orderBy('name').orderBy('id').execute();
  return rows.map((row) => row.name);
}
// #endregion search-unescaped

// #region search-escaped
export async function productNamesContaining(db: Kysely<Database>, text: string): Promise<string[]> {
  const rows = await db
    .selectFrom('products')
    .select('name')
    .where('name', 'ilike', `%${escapeLike(text)}%`)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.name);
}
// #endregion search-escaped
