import { describe, expect } from 'vitest';
import { sql } from 'kysely';
import { test } from '../../harness/database.ts';
import { closeDatabase, createDatabase, createPool } from '../../../snippets/setup/create-database.ts';

describe('creating the pool and the Kysely instance', () => {
  test('sessions carry the application name and the server-side timeouts from the pool config', async ({ database }) => {
    const pool = createPool(database.url);
    const db = createDatabase(pool);
    try {
      const { rows } = await sql<{ application_name: string; statement_timeout: string; lock_timeout: string; idle: string }>`
        select current_setting('application_name') as application_name,
               current_setting('statement_timeout') as statement_timeout,
               current_setting('lock_timeout') as lock_timeout,
               current_setting('idle_in_transaction_session_timeout') as idle`.execute(db);
      expect(rows[0]).toEqual({ application_name: 'storefront', statement_timeout: '10s', lock_timeout: '2s', idle: '30s' });
    } finally {
      await closeDatabase(db);
    }
  });

  test('counts arrive as numbers, not strings, and a query runs through the typed instance', async ({ database }) => {
    const pool = createPool(database.url);
    const db = createDatabase(pool);
    try {
      const row = await db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('products')).executeTakeFirstOrThrow();
      expect(typeof row.products).toBe('number');
      expect(row.products).toBeGreaterThan(0);
    } finally {
      await closeDatabase(db);
    }
  });

  test('a statement that runs past statement_timeout is cancelled by the server', async ({ database }) => {
    const pool = createPool(database.url);
    const db = createDatabase(pool);
    try {
      // A transaction-local override keeps the test fast; the pool's own limit works the same way.
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`set local statement_timeout = 50`.execute(trx);
          await sql`select pg_sleep(2)`.execute(trx);
        }),
      ).rejects.toThrow(/statement timeout/);
    } finally {
      await closeDatabase(db);
    }
  });

  test('closing the database ends the pool', async ({ database }) => {
    const pool = createPool(database.url);
    const db = createDatabase(pool);
    await db.selectFrom('feature_flags').select('key').execute();
    await closeDatabase(db);
    expect(pool.ended).toBe(true);
  });
});
