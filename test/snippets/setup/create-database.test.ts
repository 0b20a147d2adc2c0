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

  // Before the pool's 'connect' listener, pg emitted 'error' on the checked-out client when the
  // backend went away mid-transaction, and nothing listened: vitest reports that uncaught error and
  // the run fails (a service crashes the same way).
  test('a backend killed in the middle of a transaction fails that transaction, not the process', async ({ database }) => {
    const pool = createPool(database.url, { max: 2 });
    const db = createDatabase(pool);
    try {
      let backend = 0;
      const transaction = db.transaction().execute(async (trx) => {
        backend = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
        await sql`select pg_sleep(30)`.execute(trx);
      });
      const outcome = transaction.then(
        () => 'committed',
        (error: Error) => error.message,
      );
      await expect.poll(() => backend, { timeout: 10_000 }).toBeGreaterThan(0);
      await expect
        .poll(async () => (await database.pool.query(`select state from pg_stat_activity where pid = $1`, [backend])).rows[0]?.state, {
          timeout: 10_000,
        })
        .toBe('active');
      await database.pool.query('select pg_terminate_backend($1)', [backend]);
      expect(await outcome).toMatch(/terminat/i);
      // The socket's end arrives after the rejection: give it a few turns of the event loop.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 20));
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
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
