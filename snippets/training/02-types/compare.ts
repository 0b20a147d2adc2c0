// Module 2: a hand-written row type that can drift, beside one derived from the schema.
import type pg from 'pg';
import type { Kysely, Selectable } from 'kysely';
import type { Database, Products } from '../../app/database.ts';

// #region legacy
// Written by hand; nothing checks it against the table or the query.
interface ProductRecord {
  id: number;
  name: string;
  price_cents: number;
}

export async function legacyProductsOutOfStock(pool: pg.Pool, limit: number): Promise<ProductRecord[]> {
  const { rows } = await pool.query<ProductRecord>(`select id, name, price_cents from products where stock = 0 order by id limit $1`, [
    limit,
  ]);
  return rows;
}
// #endregion legacy

// #region kysely
// Derived: the result type is Pick<Selectable<Products>, 'id' | 'name' | 'price_cents'>.
export async function productsOutOfStock(db: Kysely<Database>, limit: number) {
  return db.selectFrom('products').select(['id', 'name', 'price_cents']).where('stock', '=', 0).orderBy('id').limit(limit).execute();
}

export type ProductRow = Selectable<Products>;
// #endregion kysely
