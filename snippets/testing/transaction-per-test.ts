// A `test` whose every test runs inside its own transaction, rolled back when the
// test ends. It builds on the harness's file-scoped `database` fixture (a clone of
// the seeded template), so a file costs one clone and a test costs a BEGIN and a
// ROLLBACK. Nothing a test writes is visible to the next one.
//
// Use it for code that takes a `Kysely<Database>` (a transaction is one). Code that
// opens its own transaction with `db.transaction()`, or takes a pg Pool, cannot run
// inside this one: give that test its own clone with `cloneTemplate()` instead.
import type { ControlledTransaction } from 'kysely';
import { test as withDatabase } from '../../test/harness/database.ts';
import type { Database } from '../app/database.ts';

// #region fixture
export const test = withDatabase.extend('trx', async ({ database }, { onCleanup }): Promise<ControlledTransaction<Database>> => {
  const trx = await database.db.startTransaction().execute();
  // A fixture's cleanup runs after the test, whether it passed or failed.
  onCleanup(async () => {
    await trx.rollback().execute();
  });
  return trx;
});
// #endregion fixture

export { describe, expect } from 'vitest';
