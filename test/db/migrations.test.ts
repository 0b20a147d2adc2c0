import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { emptyDatabase } from '../harness/database.ts';
import { createPool } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateDownAll, migrateDownOne, migrateToLatest, createMigrator } from '../../snippets/app/migrate.ts';
import { migrations } from '../../snippets/app/migrations/index.ts';
import { runTypesCodegen } from '../../scripts/db/types-codegen.ts';
import { inject } from 'vitest';
import { dumpPublicSchema } from './catalog-dump.ts';
import type { Database } from '../../snippets/app/database.ts';

describe('migrations', () => {
  let target: Awaited<ReturnType<typeof emptyDatabase>>;
  let pool: pg.Pool;
  let db: Kysely<Database>;

  beforeAll(async () => {
    target = await emptyDatabase();
    pool = createPool(target.url, 2);
    db = createKysely(pool);
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  it('migrating up, all the way down and up again gives an identical schema', async () => {
    await migrateToLatest(db);
    const first = await dumpPublicSchema(pool);
    expect(first.filter((line) => line.startsWith('column ')).length).toBeGreaterThan(20);

    await migrateDownAll(db);
    const empty = await dumpPublicSchema(pool);
    // Only Kysely's own bookkeeping tables remain.
    expect(empty.every((line) => /kysely_migration/.test(line))).toBe(true);

    await migrateToLatest(db);
    expect(await dumpPublicSchema(pool)).toEqual(first);
  });

  it('each migration can be rolled back one at a time and re-applied', async () => {
    await migrateToLatest(db);
    const latest = await dumpPublicSchema(pool);
    const names = Object.keys(migrations);
    for (let applied = names.length; applied > 0; applied--) {
      await migrateDownOne(db);
      const state = await createMigrator(db).getMigrations();
      expect(state.filter((m) => m.executedAt).length).toBe(applied - 1);
    }
    await migrateToLatest(db);
    expect(await dumpPublicSchema(pool)).toEqual(latest);
  });

  it('the committed Database types match the migrated schema (kysely-codegen --verify)', async () => {
    await migrateToLatest(db);
    const { ok, output } = await runTypesCodegen(inject('adminUrl'), target.name, true);
    expect(output, 'run `npm run db:types` to regenerate snippets/app/schema.generated.ts').not.toMatch(/error|outdated/i);
    expect(ok).toBe(true);
  });

  it('when they do not match, --verify shows the difference and what to run, without a stack trace', async () => {
    await migrateToLatest(db);
    await sql`create table schema_drift (id int primary key)`.execute(db);
    const { ok, output } = await runTypesCodegen(inject('adminUrl'), target.name, true);
    await sql`drop table schema_drift`.execute(db);
    expect(ok).toBe(false);
    expect(output).toMatch(/^\s*-export interface SchemaDrift/m);
    expect(output.split('\n').at(-1)).toBe(
      'snippets/app/schema.generated.ts does not match the migrations: run `npm run db:types` and commit the result',
    );
    expect(output).not.toMatch(/^\s+at |node_modules/m);
  });
});
