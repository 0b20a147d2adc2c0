// Exercise 1: from SQL strings to Kysely.
// Rewrite the two legacy queries below with Kysely. Run `npm run exercise -- 1` to check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface ProductSummary {
  id: number;
  name: string;
  priceCents: number;
}

// Legacy:
//   select id, name, price_cents as "priceCents" from products where sku = $1
export async function findProductBySku(db: Kysely<Database>, sku: string): Promise<ProductSummary | undefined> {
  // TODO: select id, name and price_cents (as priceCents) of the product with this SKU.
  //       Return undefined when there is none (hint: executeTakeFirst).
  throw new Error('TODO: implement findProductBySku');
}

// Legacy:
//   select id, name, price_cents as "priceCents" from products
//    where category_id = $1 and active order by price_cents, id limit $2
export async function cheapestInCategory(db: Kysely<Database>, categoryId: number, limit: number): Promise<ProductSummary[]> {
  // TODO: the `limit` cheapest active products of the category, cheapest first, ties by id.
  throw new Error('TODO: implement cheapestInCategory');
}
