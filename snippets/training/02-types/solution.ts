// Exercise 2, solved: one typed insert and one typed partial update.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Customers, Database } from '../../app/database.ts';

// #region row-types
export type CustomerRow = Selectable<Customers>;
export type NewCustomer = Insertable<Customers>;
export type CustomerPatch = Updateable<Customers>;
// #endregion row-types

// #region create-customer
export async function createCustomer(db: Kysely<Database>, customer: NewCustomer): Promise<CustomerRow> {
  return db.insertInto('customers').values(customer).returningAll().executeTakeFirstOrThrow();
}
// #endregion create-customer

// #region update-customer
export async function updateCustomer(db: Kysely<Database>, id: number, patch: CustomerPatch): Promise<CustomerRow | undefined> {
  return db.updateTable('customers').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}
// #endregion update-customer
