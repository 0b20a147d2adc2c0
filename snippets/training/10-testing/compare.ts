// Module 10: running a test's writes in a transaction that is rolled back.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
export async function legacyWithRollback<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await work(client);
  } finally {
    await client.query('rollback');
    client.release();
  }
}
// #endregion legacy

// #region kysely
export async function withRollback<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  try {
    return await work(trx);
  } finally {
    await trx.rollback().execute();
  }
}
// #endregion kysely
