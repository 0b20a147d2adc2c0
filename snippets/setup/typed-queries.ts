// What the generated `Database` type buys: rows typed from the schema, and mistakes
// rejected by `tsc` before they reach PostgreSQL.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, Products } from '../app/database.ts';

// #region row-types
// One table interface, three views of it: what a select returns, what an insert
// accepts (generated columns such as id become optional), and what an update accepts.
export type ProductRow = Selectable<Products>;
export type NewProductRow = Insertable<Products>;
export type ProductChanges = Updateable<Products>;
// #endregion row-types

// #region inferred-result
export async function findBySku(db: Kysely<Database>, sku: string) {
  // The return type is inferred from the select list: { id: number; name: string; price_cents: number } | undefined
  return db.selectFrom('products').select(['id', 'name', 'price_cents']).where('sku', '=', sku).executeTakeFirst();
}
// #endregion inferred-result

export async function addProduct(db: Kysely<Database>, product: NewProductRow): Promise<ProductRow> {
  return db.insertInto('products').values(product).returningAll().executeTakeFirstOrThrow();
}

/**
 * Each of these compiles only because of its `@ts-expect-error` line: remove the comment
 * and `npm run typecheck` fails. Should one of them start to compile without it (the
 * schema changed, say), tsc reports the unused directive, so the list stays true.
 * The test runs them anyway to show what would have happened at run time.
 */
// #region caught-by-tsc
export function mistakesTscRejects(db: Kysely<Database>) {
  return [
    // @ts-expect-error the column is price_cents, not price
    db.selectFrom('products').select(['id', 'price']),
    // @ts-expect-error a table that does not exist
    db.selectFrom('product').select('id'),
    // @ts-expect-error quantity is an integer column, not a string
    db.updateTable('order_items').set({ quantity: 'three' }).where('order_id', '=', 1),
    // @ts-expect-error customers.id and orders.customer_id compare fine, but orders has no column customer
    db.selectFrom('orders').innerJoin('customers', 'customers.id', 'orders.customer').select('orders.id'),
  ];
}
// #endregion caught-by-tsc
