// Writing: a multi-row insert, an update computed from the current value, and a delete.
// Legacy functions take a Pool or a checked-out client, so the test can run them inside
// a transaction it rolls back; Kysely functions take a Kysely, which a Transaction is.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export type Queryable = pg.Pool | pg.PoolClient;

export interface NewProduct {
  categoryId: number;
  sku: string;
  name: string;
  priceCents: number;
}

// #region insert-legacy
export async function addProductsLegacy(db: Queryable, products: NewProduct[]): Promise<number> {
  // One placeholder group per row, numbered by hand: ($1, $2, $3, $4), ($5, $6, $7, $8), ...
  const params: unknown[] = [];
  const groups = products.map((product) => {
    params.push(product.categoryId, product.sku, product.name, product.priceCents);
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  const result = await db.query(`insert into products (category_id, sku, name, price_cents) values ${groups.join(', ')}`, params);
  return result.rowCount ?? 0;
}
// #endregion insert-legacy

// #region insert-kysely
export async function addProducts(db: Kysely<Database>, products: NewProduct[]): Promise<number> {
  const result = await db
    .insertInto('products')
    .values(
      products.map((product) => ({
        category_id: product.categoryId,
        sku: product.sku,
        name: product.name,
        price_cents: product.priceCents,
      })),
    )
    .executeTakeFirstOrThrow();
  // Counts come back as bigint: the driver's row count can exceed 2^53 in principle.
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}
// #endregion insert-kysely

// #region update-legacy
export async function discountCategoryLegacy(db: Queryable, categoryId: number, percentOff: number): Promise<number> {
  const result = await db.query(`update products set price_cents = price_cents * $2 / 100 where category_id = $1 and active`, [
    categoryId,
    100 - percentOff,
  ]);
  return result.rowCount ?? 0;
}
// #endregion update-legacy

// #region update-kysely
export async function discountCategory(db: Kysely<Database>, categoryId: number, percentOff: number): Promise<number> {
  const result = await db
    .updateTable('products')
    // Integer arithmetic in SQL, as in the legacy query: 1999 * 90 / 100 = 1799.
    .set((eb) => ({ price_cents: eb(eb('price_cents', '*', 100 - percentOff), '/', 100) }))
    .where('category_id', '=', categoryId)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
// #endregion update-kysely

// #region delete-legacy
export async function deleteCancelledOrdersLegacy(db: Queryable, placedBefore: Date): Promise<number> {
  // order_items rows go with them: the foreign key is ON DELETE CASCADE.
  const result = await db.query(`delete from orders where status = 'cancelled' and created_at < $1`, [placedBefore]);
  return result.rowCount ?? 0;
}
// #endregion delete-legacy

// #region delete-kysely
export async function deleteCancelledOrders(db: Kysely<Database>, placedBefore: Date): Promise<number> {
  const result = await db.deleteFrom('orders').where('status', '=', 'cancelled').where('created_at', '<', placedBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}
// #endregion delete-kysely
