// Exercise 10: testing the data layer. Two helpers a test suite needs.
// Run `npm run exercise -- 10` to check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export type TableName = keyof Database;

/**
 * Runs `work` inside a transaction that is always rolled back, and returns what `work`
 * returned (or rethrows what it threw). Tests use it so no row outlives the test.
 */
export async function withRollback<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  // TODO: start a transaction you control (hint: await db.startTransaction().execute()),
  //       run work(trx), and roll back in a `finally` whatever happened.
  throw new Error('TODO: implement withRollback');
}

/** Rows per table, to prove at the end of a run that tests left nothing behind. */
export async function countRows(db: Kysely<Database>, tables: TableName[]): Promise<Record<string, number>> {
  // TODO: one count per table (hint: db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('rows'))).
  throw new Error('TODO: implement countRows');
}
