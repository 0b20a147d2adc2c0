// Exercise 10, solved: a rollback wrapper for tests, and a leak check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export type TableName = keyof Database;

// #region with-rollback
export async function withRollback<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  try {
    return await work(trx);
  } finally {
    await trx.rollback().execute();
  }
}
// #endregion with-rollback

// #region count-rows
export async function countRows(db: Kysely<Database>, tables: TableName[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('rows'))
      .executeTakeFirstOrThrow();
    counts[table] = row.rows;
  }
  return counts;
}
// #endregion count-rows
