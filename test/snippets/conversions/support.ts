// Helpers for the conversion tests: run a write and undo it, and record the SQL Kysely
// really sent as evidence for the "Converting queries" page.
import type pg from 'pg';
import { CompiledQuery, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../../snippets/app/database.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';
import { evidencePath, sentSql } from '../../support/evidence.ts';

/** Runs `work` on one client inside a transaction that is always rolled back (the helper taught in training module 10). */
export { legacyWithRollback as rolledBackLegacy } from '../../../snippets/training/10-testing/compare.ts';

const ROLLBACK = new Error('rolled back on purpose');

/** Runs `work` in a Kysely transaction that is always rolled back. */
export async function rolledBackKysely<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      result = await work(trx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return result as T;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|start transaction)\b/i;
const READ_BACK_MARK = '/* test read-back */';

/** A plain query the test uses to look at the result of a write; left out of the evidence. */
export function readBack(text: string): CompiledQuery {
  return CompiledQuery.raw(`${READ_BACK_MARK} ${text}`);
}

/**
 * Runs `work`, captures every statement it sent on `pool`, and stores them as
 * snippets/conversions/evidence/<name>.sql. BEGIN/COMMIT/ROLLBACK are left out unless
 * `keepTransactionControl` is set, since the test's own rollback is not part of the example;
 * so are the test's `readBack` queries. Wrap the whole transaction, not a call inside it: the
 * counter sees a connection from the moment it is checked out of the pool.
 */
export async function recordSql<T>(pool: pg.Pool, name: string, work: () => Promise<T>, keepTransactionControl = false): Promise<T> {
  const counter = countQueries(pool);
  try {
    const { result, statements } = await counter.measure(work);
    const shown = statements.filter(
      (statement) => !statement.sql.startsWith(READ_BACK_MARK) && (keepTransactionControl || !TRANSACTION_CONTROL.test(statement.sql)),
    );
    expect(shown.length, `${name} sent no statements`).toBeGreaterThan(0);
    await expect(sentSql(shown)).toMatchFileSnapshot(evidencePath('conversions', `${name}.sql`));
    return result;
  } finally {
    counter.detach();
  }
}
