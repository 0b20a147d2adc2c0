// Exercise 2: types and the `Database` interface.
// The generated Customers interface (snippets/app/schema.generated.ts) describes a row as
// it is read, inserted and updated. Kysely derives the three shapes for you:
//   Selectable<Customers>  what a select returns (every column, Generated<> resolved)
//   Insertable<Customers>  what an insert accepts (id and created_at optional: the database fills them)
//   Updateable<Customers>  what an update accepts (every column optional)
// Run `npm run exercise -- 2` to check.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Customers, Database } from '../../app/database.ts';

export type CustomerRow = Selectable<Customers>;
export type NewCustomer = Insertable<Customers>;
export type CustomerPatch = Updateable<Customers>;

// Legacy:
//   insert into customers (email, name) values ($1, $2) returning *
export async function createCustomer(db: Kysely<Database>, customer: NewCustomer): Promise<CustomerRow> {
  // TODO: insert the customer and return the whole stored row, with the id and created_at
  //       the database generated (hint: returningAll, executeTakeFirstOrThrow).
  throw new Error('TODO: implement createCustomer');
}

// Legacy:
//   update customers set name = $2 where id = $1 returning *   -- one function per column...
export async function updateCustomer(db: Kysely<Database>, id: number, patch: CustomerPatch): Promise<CustomerRow | undefined> {
  // TODO: apply only the columns present in `patch` to customer `id`; return the updated
  //       row, or undefined when there is no such customer.
  throw new Error('TODO: implement updateCustomer');
}
