// Type errors people hit when they start with Kysely, each one real: every line under
// a `// @ts-expect-error` must fail to type-check, or `tsc` fails ("Unused
// '@ts-expect-error' directive"). The test next to this file records the compiler's
// message for each one, so the Troubleshooting page shows the words you will see.
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

// #region misspelt-column
export async function misspeltColumn(db: Kysely<Database>) {
  return (
    db
      .selectFrom('products')
      // @ts-expect-error the column is price_cents
      .select(['id', 'price'])
      .execute()
  );
}
// #endregion misspelt-column

// #region wrong-value-type
export async function wrongValueType(db: Kysely<Database>, priceFromQueryString: string) {
  return (
    db
      .selectFrom('products')
      .select('id')
      // @ts-expect-error price_cents is an integer column; parse the string first
      .where('price_cents', '>', priceFromQueryString)
      .execute()
  );
}
// #endregion wrong-value-type

// #region alias-in-where
export async function aliasInWhere(db: Kysely<Database>) {
  return (
    db
      .selectFrom('products')
      .select(['id', 'price_cents as priceCents'])
      // @ts-expect-error an alias from select() does not exist yet in where()
      .where('priceCents', '>', 1000)
      .execute()
  );
}
// #endregion alias-in-where

// #region missing-join
export async function missingJoin(db: Kysely<Database>) {
  return (
    db
      .selectFrom('orders')
      // @ts-expect-error products is not part of this query until you join it
      .select(['orders.id', 'products.name'])
      .execute()
  );
}
// #endregion missing-join

// #region missing-insert-column
export async function missingInsertColumn(db: Kysely<Database>) {
  return (
    db
      .insertInto('products')
      // @ts-expect-error sku and category_id are NOT NULL without a default
      .values({ name: 'Kettle', price_cents: 2500 })
      .execute()
  );
}
// #endregion missing-insert-column

// #region possibly-undefined
export async function possiblyUndefined(db: Kysely<Database>, id: number): Promise<string> {
  const product = await db.selectFrom('products').select('name').where('id', '=', id).executeTakeFirst();
  // @ts-expect-error executeTakeFirst() resolves to undefined when no row matches
  return product.name;
}
// #endregion possibly-undefined

// #region count-type
export async function countType(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('orders'))
    .executeTakeFirstOrThrow();
  // @ts-expect-error count() is typed string | number | bigint: pg returns int8 as a string unless told otherwise
  return row.orders;
}
// #endregion count-type

// The fixes, type-checked like everything else.
// #region fixes
export async function fixed(db: Kysely<Database>, priceFromQueryString: string, id: number) {
  const cheap = await db
    .selectFrom('products')
    .select(['id', 'price_cents as priceCents'])
    .where('price_cents', '>', Number.parseInt(priceFromQueryString, 10)) // parse, then compare
    .execute();
  const withCategory = await db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id') // join before selecting from it
    .select(['products.id', 'categories.name as category'])
    .execute();
  const product = await db.selectFrom('products').select('name').where('id', '=', id).executeTakeFirstOrThrow(); // throws NoResultError
  const { orders } = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('orders')) // say what the driver returns (see lib/db/connect.ts)
    .executeTakeFirstOrThrow();
  return { cheap, withCategory, name: product.name, orders };
}
// #endregion fixes
