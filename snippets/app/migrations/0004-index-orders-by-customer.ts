import { sql, type Kysely } from 'kysely';

// Listing a customer's orders newest first was a sequential scan before this index.
//
// `orders` is written to all day, so the index is built CONCURRENTLY: a plain CREATE INDEX
// holds a SHARE lock that blocks every insert and update for the whole build. PostgreSQL
// refuses CONCURRENTLY inside a transaction, hence `transaction = false`, which the runner in
// ../migrate.ts honours for this migration alone. Kysely's index builder has no
// `concurrently()`, so the statements are written with the `sql` template.
// #region concurrent-index
export const transaction = false;

export async function up(db: Kysely<any>): Promise<void> {
  // A concurrent build that failed (a lock timeout, a cancelled deploy) leaves an INVALID
  // index behind under the same name; drop it so that a retry builds a valid one.
  await sql`drop index concurrently if exists orders_customer_id_created_at_idx`.execute(db);
  await sql`create index concurrently if not exists orders_customer_id_created_at_idx on orders (customer_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index concurrently if exists orders_customer_id_created_at_idx`.execute(db);
}
// #endregion concurrent-index
