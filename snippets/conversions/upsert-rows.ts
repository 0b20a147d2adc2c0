// INSERT ... ON CONFLICT: add to a basket line that may already exist, and register a
// customer only if the email is new.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export type Queryable = pg.Pool | pg.PoolClient;

export interface ItemToAdd {
  orderId: number;
  productId: number;
  quantity: number;
  unitPriceCents: number;
}

// #region add-item-legacy
export async function addItemLegacy(db: Queryable, item: ItemToAdd): Promise<void> {
  await db.query(
    `insert into order_items (order_id, product_id, quantity, unit_price_cents)
     values ($1, $2, $3, $4)
     on conflict (order_id, product_id)
     do update set quantity = order_items.quantity + excluded.quantity`,
    [item.orderId, item.productId, item.quantity, item.unitPriceCents],
  );
}
// #endregion add-item-legacy

// #region add-item-kysely
export async function addItem(db: Kysely<Database>, item: ItemToAdd): Promise<void> {
  await db
    .insertInto('order_items')
    .values({
      order_id: item.orderId,
      product_id: item.productId,
      quantity: item.quantity,
      unit_price_cents: item.unitPriceCents,
    })
    .onConflict((oc) =>
      oc.columns(['order_id', 'product_id']).doUpdateSet((eb) => ({
        // `excluded` is the row that failed to insert; the bare column is the existing row.
        quantity: eb('order_items.quantity', '+', eb.ref('excluded.quantity')),
      })),
    )
    .execute();
}
// #endregion add-item-kysely

// #region register-legacy
export async function registerCustomerLegacy(db: Queryable, email: string, name: string): Promise<boolean> {
  const result = await db.query(`insert into customers (email, name) values ($1, $2) on conflict (email) do nothing`, [email, name]);
  return result.rowCount === 1;
}
// #endregion register-legacy

// #region register-kysely
export async function registerCustomer(db: Kysely<Database>, email: string, name: string): Promise<boolean> {
  const result = await db
    .insertInto('customers')
    .values({ email, name })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}
// #endregion register-kysely
