import { describe, expect } from 'vitest';
import { sql } from 'kysely';
import { test } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createLoggedDatabase, type QueryLogEntry } from '../../../snippets/setup/log-queries.ts';
import { evidencePath } from '../../support/evidence.ts';

describe('logging queries with the log option', () => {
  test('a slow query is logged with its SQL and duration, a fast one is not, and parameters never are', async ({ database }) => {
    const entries: QueryLogEntry[] = [];
    const db = createLoggedDatabase(createPool(database.url, 1), { slowQueryMs: 200, write: (entry) => entries.push(entry) });
    try {
      await db.selectFrom('customers').select('name').where('email', '=', 'customer1@example.test').execute();
      await sql`select pg_sleep(${0.3})`.execute(db);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ level: 'slow', sql: 'select pg_sleep($1)' });
      expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(200);
      expect(JSON.stringify(entries)).not.toContain('0.3');
    } finally {
      await db.destroy();
    }
  });

  test('a failing query is logged as an error and still throws to the caller', async ({ database }) => {
    const entries: QueryLogEntry[] = [];
    const db = createLoggedDatabase(createPool(database.url, 1), { slowQueryMs: 10_000, write: (entry) => entries.push(entry) });
    try {
      await expect(sql`select * from no_such_table`.execute(db)).rejects.toThrow(/no_such_table/);
      expect(entries).toEqual([
        {
          level: 'error',
          sql: 'select * from no_such_table',
          durationMs: expect.any(Number),
          error: 'relation "no_such_table" does not exist',
        },
      ]);

      // What the page shows: the entries, with durations replaced since they differ per run.
      const shown = entries.map((entry) => JSON.stringify({ ...entry, durationMs: '<ms>' })).join('\n');
      await expect(`${shown}\n`).toMatchFileSnapshot(evidencePath('setup', 'query-log.error.txt'));
    } finally {
      await db.destroy();
    }
  });
});
