import { describe, expect } from 'vitest';
import { sql } from 'kysely';
import { test } from '../../harness/database.ts';
import {
  applySessionDefaults,
  closeDatabase,
  createDatabase,
  createPool,
  withStatementTimeout,
} from '../../../snippets/setup/create-database.ts';

describe('creating the pool and the Kysely instance', () => {
  test('sessions carry the application name from the pool and the timeouts stored on the role', async ({ database }) => {
    const { rows: who } = await database.pool.query<{ role: string }>('select current_user as role');
    await applySessionDefaults(database.db, who[0]!.role, database.name);
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
      const row = await db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('products'))
        .executeTakeFirstOrThrow();
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
      // A transaction-local override keeps the test fast; the role's own limit works the same way.
      await expect(withStatementTimeout(db, 50, (trx) => sql`select pg_sleep(2)`.execute(trx))).rejects.toThrow(/statement timeout/);
      // SET LOCAL ended with the transaction: the connection is back to the role's limit.
      const { rows } = await sql<{ timeout: string }>`select current_setting('statement_timeout') as timeout`.execute(db);
      expect(rows[0]!.timeout).not.toBe('50ms');
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
