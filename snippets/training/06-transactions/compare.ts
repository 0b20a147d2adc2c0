// Module 6: set several feature flags, all or none.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
export async function legacySetFlags(pool: pg.Pool, flags: Record<string, string>): Promise<void> {
  const client = await pool.connect(); // the same connection for every statement
  try {
    await client.query('begin');
    for (const [key, value] of Object.entries(flags)) {
      await client.query(
        `insert into feature_flags (key, value) values ($1, $2)
         on conflict (key) do update set value = excluded.value, updated_at = now()`,
        [key, value],
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release(); // forget this and the pool runs dry
  }
}
// #endregion legacy

// #region kysely
export async function setFlags(db: Kysely<Database>, flags: Record<string, string>): Promise<void> {
  // Commits when the callback resolves, rolls back when it throws, and always releases the connection.
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(flags)) {
      await trx
        .insertInto('feature_flags')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: new Date() })))
        .execute();
    }
  });
}
// #endregion kysely
