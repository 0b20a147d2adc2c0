// Retries against real races on this file's clone: a serialization failure between two
// serializable transactions, and a deadlock between two connections, each forced by
// interleaving the two sessions step by step (no sleep decides who wins).
import type { Kysely } from 'kysely';
import { describe, expect, test } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import type { Database } from '../../../snippets/app/database.ts';
import { DatabaseOutcomeError } from '../../../snippets/app/database-errors.ts';
import { withRetry } from '../../../snippets/app/retry.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const stockOf = async (db: Kysely<Database>, id: number) =>
  (await db.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirstOrThrow()).stock;

// Adds stock rather than taking it: some seeded products have none, and the check constraint forbids negative stock.
const restock = (trx: Kysely<Database>, id: number) =>
  trx
    .updateTable('products')
    .set((eb) => ({ stock: eb('stock', '+', 1) }))
    .where('id', '=', id)
    .execute();

describe('retrying transactions that lost a race', () => {
  test('a real serialization failure (40001) is retried and the second attempt commits', async ({ database }) => {
    const other = createKysely(createPool(database.url, 1));
    try {
      const before = await stockOf(database.db, 10);
      const read = gate();
      const committed = gate();
      // The other session changes the row after our snapshot and commits first.
      const rival = (async () => {
        await read.opened;
        try {
          await other
            .transaction()
            .setIsolationLevel('serializable')
            .execute((trx) => restock(trx, 10));
        } finally {
          committed.open(); // also on failure: the test then fails on its counts instead of hanging
        }
      })();
      const retried: string[] = [];
      const attempts = await withRetry(
        async (attempt) => {
          await database.db
            .transaction()
            .setIsolationLevel('serializable')
            .execute(async (trx) => {
              await trx.selectFrom('products').select('stock').where('id', '=', 10).execute();
              if (attempt === 1) {
                read.open();
                await committed.opened;
              }
              await restock(trx, 10);
            });
          return attempt;
        },
        { onRetry: (_attempt, error) => retried.push((error as { code: string }).code) },
      );
      await rival;
      expect(retried).toEqual(['40001']);
      expect(attempts).toBe(2);
      expect(await stockOf(database.db, 10)).toBe(before + 2);
    } finally {
      await other.destroy();
    }
  });

  test('a real deadlock between two connections (40P01): the victim is retried and both transactions commit', async ({ database }) => {
    const other = createKysely(createPool(database.url, 1));
    try {
      const before = [await stockOf(database.db, 20), await stockOf(database.db, 21)];
      const aHolds20 = gate();
      const bHolds21 = gate();
      const retried: string[] = [];
      const onRetry = (_attempt: number, error: unknown) => retried.push((error as { code: string }).code);
      // A takes 20 then 21; B takes 21 then 20: each waits for the other, PostgreSQL picks a victim.
      const a = withRetry(
        (attempt) =>
          database.db.transaction().execute(async (trx) => {
            await restock(trx, 20);
            if (attempt === 1) {
              aHolds20.open();
              await bHolds21.opened;
            }
            await restock(trx, 21);
          }),
        { onRetry },
      );
      const b = withRetry(
        (attempt) =>
          other.transaction().execute(async (trx) => {
            if (attempt === 1) await aHolds20.opened;
            await restock(trx, 21);
            if (attempt === 1) bHolds21.open();
            await restock(trx, 20);
          }),
        { onRetry },
      );
      await Promise.all([a, b]);
      expect(retried).toEqual(['40P01']);
      expect([await stockOf(database.db, 20), await stockOf(database.db, 21)]).toEqual([before[0]! + 2, before[1]! + 2]);
    } finally {
      await other.destroy();
    }
  });

  test('retries stop after maxAttempts and report the outcome with the number of attempts', async () => {
    let runs = 0;
    const error = await withRetry(
      () => {
        runs++;
        return Promise.reject(Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' }));
      },
      { maxAttempts: 3, baseDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect(runs).toBe(3);
    expect(error).toBeInstanceOf(DatabaseOutcomeError);
    expect(error).toMatchObject({ outcome: 'retry', sqlstate: '40001', attempts: 3, status: 503 });
  });

  test('errors that a retry cannot fix are not retried', async () => {
    let runs = 0;
    const error = await withRetry(() => {
      runs++;
      return Promise.reject(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }));
    }).catch((e: unknown) => e);
    expect(runs).toBe(1);
    expect(error).toMatchObject({ outcome: 'conflict', attempts: 1 });
  });

  test('the backoff is jittered and capped', async () => {
    const delays: number[] = [];
    await withRetry(
      (attempt) => (attempt < 6 ? Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' })) : Promise.resolve()),
      { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 4, random: () => 1, onRetry: (_a, _e, delay) => delays.push(delay) },
    );
    expect(delays).toEqual([1, 2, 4, 4, 4]);
  });
});
