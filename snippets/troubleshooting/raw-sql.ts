// The `sql` template tag is safe by default: every `${value}` becomes a bind parameter
// ($1, $2, …) that PostgreSQL never parses as SQL. `sql.raw(text)` opts out and pastes
// the text into the statement. With a value from a user, that is SQL injection.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

// #region unsafe
// DON'T: sql.raw pastes the search term into the SQL text.
export function searchProductsUnsafe(db: Kysely<Database>, term: string) {
  return db
    .selectFrom('products')
    .select(['id', 'name'])
    .where(sql<boolean>`name ilike '%${sql.raw(term)}%'`)
    .where('active', '=', true)
    .orderBy('id');
}
// #endregion unsafe

// #region safe
// DO: interpolate the value; Kysely sends it as a parameter.
export function searchProducts(db: Kysely<Database>, term: string) {
  return db
    .selectFrom('products')
    .select(['id', 'name'])
    .where(sql<boolean>`name ilike ${`%${term}%`}`)
    .where('active', '=', true)
    .orderBy('id');
}
// #endregion safe

// #region identifier
// A column name cannot be a parameter. Check it against a fixed list, then let Kysely quote it.
const SORTABLE = ['name', 'price_cents', 'stock'] as const;
export type SortColumn = (typeof SORTABLE)[number];

export function isSortColumn(value: string): value is SortColumn {
  return (SORTABLE as readonly string[]).includes(value);
}

export function sortedProducts(db: Kysely<Database>, requested: string) {
  if (!isSortColumn(requested)) throw new RangeError(`cannot sort by ${JSON.stringify(requested)}`);
  return db.selectFrom('products').select(['id', 'name']).orderBy(requested).orderBy('id').limit(5);
}
// #endregion identifier
