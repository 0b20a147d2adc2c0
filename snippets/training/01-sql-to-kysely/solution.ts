// Exercise 1, solved: the legacy queries as Kysely queries.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface ProductSummary {
  id: number;
  name: string;
  priceCents: number;
}

// #region find-by-sku
export async function findProductBySku(db: Kysely<Database>, sku: string): Promise<ProductSummary | undefined> {
  return db.selectFrom('products').select(['id', 'name', 'price_cents as priceCents']).where('sku', '=', sku).executeTakeFirst();
}
// #endregion find-by-sku

// #region cheapest-in-category
export async function cheapestInCategory(db: Kysely<Database>, categoryId: number, limit: number): Promise<ProductSummary[]> {
  return db
    .selectFrom('products')
    .select(['id', 'name', 'price_cents as priceCents'])
    .where('category_id', '=', categoryId)
    .where('active', '=', true)
    .orderBy('price_cents')
    .orderBy('id')
    .limit(limit)
    .execute();
}
// #endregion cheapest-in-category
