// The write idioms of the quick reference: each side runs in its own transaction that
// is rolled back, so both start from the same data, and what they returned must agree.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { writePairs } from '../../../snippets/quick-reference/writes.ts';

const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();

describe('quick reference: write idioms', () => {
  for (const [name, pair] of Object.entries(writePairs)) {
    test(`${pair.title}: the raw statement and the Kysely statement return the same rows (${name})`, async ({ database }) => {
      const client = await database.pool.connect();
      let raw: unknown[];
      try {
        await client.query('begin');
        raw = await pair.raw(client);
      } finally {
        await client.query('rollback');
        client.release();
      }
      const trx = await database.db.startTransaction().execute();
      let kysely: unknown[];
      try {
        kysely = await pair.kysely(trx);
      } finally {
        await trx.rollback().execute();
      }
      expect(raw.length).toBeGreaterThan(0);
      // RETURNING does not promise an order.
      expect(sorted(kysely)).toEqual(sorted(raw));
    });
  }
});
