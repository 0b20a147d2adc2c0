// Raw SQL write idioms and their Kysely forms. The test runs each side in its own
// transaction, rolls it back, and compares what the statements returned.
import type { Pair } from './reads.ts';

export const insertReturning: Pair = {
  title: 'INSERT ... RETURNING',
  // #region insert-returning-sql
  raw: async (client) =>
    (await client.query(`insert into customers (email, name) values ($1, $2) returning email, name`, ['qr@example.test', 'Quick Ref']))
      .rows,
  // #endregion insert-returning-sql
  // #region insert-returning-kysely
  kysely: (db) => db.insertInto('customers').values({ email: 'qr@example.test', name: 'Quick Ref' }).returning(['email', 'name']).execute(),
  // #endregion insert-returning-kysely
};

export const upsert: Pair = {
  title: 'Upsert: INSERT ... ON CONFLICT DO UPDATE',
  // #region upsert-sql
  raw: async (client) =>
    (
      await client.query(
        `insert into feature_flags (key, value) values ($1, $2)
         on conflict (key) do update set value = excluded.value returning key, value`,
        ['data_layer', 'legacy'],
      )
    ).rows,
  // #endregion upsert-sql
  // #region upsert-kysely
  kysely: (db) =>
    db
      .insertInto('feature_flags')
      .values({ key: 'data_layer', value: 'legacy' })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .returning(['key', 'value'])
      .execute(),
  // #endregion upsert-kysely
};

export const updateExpression: Pair = {
  title: 'UPDATE with an expression',
  // #region update-expression-sql
  raw: async (client) => (await client.query(`update products set stock = stock + $1 where id = $2 returning id, stock`, [5, 10])).rows,
  // #endregion update-expression-sql
  // #region update-expression-kysely
  kysely: (db) =>
    db
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', 5) }))
      .where('id', '=', 10)
      .returning(['id', 'stock'])
      .execute(),
  // #endregion update-expression-kysely
};

export const deleteReturning: Pair = {
  title: 'DELETE ... RETURNING',
  // #region delete-returning-sql
  raw: async (client) => (await client.query(`delete from order_items where order_id = $1 returning product_id, quantity`, [1])).rows,
  // #endregion delete-returning-sql
  // #region delete-returning-kysely
  kysely: (db) => db.deleteFrom('order_items').where('order_id', '=', 1).returning(['product_id', 'quantity']).execute(),
  // #endregion delete-returning-kysely
};

export const writePairs = { insertReturning, upsert, updateExpression, deleteReturning };
