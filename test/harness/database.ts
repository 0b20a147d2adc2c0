// `test` with a `database` fixture: each test file gets its own clone of the
// seeded template, created on first use and dropped when the file ends.
import { randomBytes } from 'node:crypto';
import { inject, test as base } from 'vitest';
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../snippets/app/database.ts';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabaseStatement } from '../../lib/db/copy-database.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { cloneName, templateName } from './naming.ts';

export interface TestDatabase {
  name: string;
  /** Connection string for this clone (for subprocesses such as runbooks). */
  url: string;
  pool: pg.Pool;
  db: Kysely<Database>;
}

let adminPool: pg.Pool | undefined;

/** One long-lived admin pool per worker: opening a connection costs ~20 ms, a round trip ~0.1 ms. */
export function admin(): pg.Pool {
  adminPool ??= createPool(inject('adminUrl'), 2);
  return adminPool;
}

// #region clone
export interface RunDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** A database of this run (so the run's teardown finds it if a test leaks it), dropped by `drop()`. */
async function runDatabase(suffix: string, template?: string): Promise<RunDatabase> {
  const name = cloneName(inject('runId'), suffix);
  await admin().query(createDatabaseStatement(name, template));
  return {
    name,
    url: withDatabaseName(inject('adminUrl'), name),
    drop: async () => {
      await admin().query(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A private copy of the migrated, seeded template. */
export const cloneTemplate = (): Promise<RunDatabase> => runDatabase(randomBytes(4).toString('hex'), templateName(inject('runId')));
// #endregion clone

/** An empty database (no schema), for tests that migrate from scratch. */
export const emptyDatabase = (): Promise<RunDatabase> => runDatabase(`empty_${randomBytes(4).toString('hex')}`);

// #region fixture
// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern: it must be one, even empty
export const test = base.extend('database', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestDatabase> => {
  const clone = await cloneTemplate();
  const pool = createPool(clone.url, 5);
  const db = createKysely(pool);
  onCleanup(async () => {
    await db.destroy();
    await clone.drop();
  });
  return { name: clone.name, url: clone.url, pool, db };
});
// #endregion fixture

export { describe, expect, beforeAll, afterAll } from 'vitest';
