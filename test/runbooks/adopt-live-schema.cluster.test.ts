// Adopting Kysely's Migrator on a schema that already runs, on a throwaway cluster of Debian's
// PostgreSQL 15: the snippet dumps it with pg_dump, and Debian's pg_dump 15 cannot dump the
// embedded PostgreSQL 18 (pg_dump refuses a newer server). It lives in this layer because it
// needs Debian's PostgreSQL binaries, like the drills. Locally it is skipped, with the install
// command, when they are missing; under CI=true that fails instead.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest, type HandbookMigration } from '../../snippets/app/migrate.ts';
import { GENERATED_TYPES_FILE } from '../../scripts/db/types-codegen.ts';
import { DebianCluster, DEBIAN_PG_BIN } from '../../scripts/db/debian-cluster.ts';
import { missingDebianPostgres, skipUnlessCi } from '../support/executables.ts';
import { baselineMigration, dumpSchema, introspectTypes, markApplied } from '../../snippets/schema-changes/adopt-live-schema.ts';
import { dumpPublicSchema } from '../db/catalog-dump.ts';

const PG_DUMP = join(DEBIAN_PG_BIN, 'pg_dump');
const missing = skipUnlessCi(missingDebianPostgres());

let cluster: DebianCluster;
beforeAll(async () => {
  if (missing) return;
  cluster = await DebianCluster.create();
  await cluster.start();
});
afterAll(async () => {
  await cluster?.destroy();
});

// A migration released after adoption: it must be the only thing the Migrator runs on the live database.
const addNote: HandbookMigration = {
  async up(db) {
    await db.schema.alterTable('orders').addColumn('note', 'text').execute();
  },
  async down(db) {
    await db.schema.alterTable('orders').dropColumn('note').execute();
  },
};

describe.skipIf(Boolean(missing))(`adopting the Migrator on a live schema${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('introspects it, baselines it from pg_dump, marks the baseline applied without running it, then runs only what comes after', async () => {
    const serverUrl = cluster.url();
    const live = 'adopt_live';
    const fresh = 'adopt_fresh';
    const admin = createPool(serverUrl, 1);
    const work = mkdtempSync(join(tmpdir(), 'adopt-'));
    const liveDb = createKysely(createPool(withDatabaseName(serverUrl, live), 2));
    const freshDb = createKysely(createPool(withDatabaseName(serverUrl, fresh), 2));
    try {
      await admin.query(`create database ${live}`);
      await admin.query(`create database ${fresh}`);

      // 1. "Production": the Storefront schema with data, built without Kysely's bookkeeping.
      await migrateToLatest(liveDb);
      await sql`drop table kysely_migration, kysely_migration_lock`.execute(liveDb);
      await sql`insert into customers (email, name) values ('live@example.com', 'Live customer')`.execute(liveDb);

      // 2. Types from the live schema: identical to the committed ones (the existing drift check, pointed at production).
      const introspected = await introspectTypes(withDatabaseName(serverUrl, live), join(work, 'live.generated.ts'));
      expect(introspected.ok, introspected.output).toBe(true);
      expect(readFileSync(join(work, 'live.generated.ts'), 'utf8')).toBe(readFileSync(GENERATED_TYPES_FILE, 'utf8'));

      // 3. The baseline, from pg_dump --schema-only, with nothing psql-specific left in it.
      const schemaSql = await dumpSchema(withDatabaseName(serverUrl, live), PG_DUMP);
      expect(schemaSql).toMatch(/CREATE TABLE public\.orders/);
      expect(schemaSql).not.toMatch(/^\\|^SET |set_config|kysely_migration/m);
      const adopted = { '0000-baseline': baselineMigration(schemaSql), '0005-add-order-note': addNote };

      // 4. Live: mark the baseline applied, then migrate. Had the baseline run, CREATE TABLE would have failed.
      await markApplied(liveDb, '0000-baseline');
      await markApplied(liveDb, '0000-baseline'); // twice is harmless
      const onLive = await migrateToLatest(liveDb, { migrations: adopted });
      expect(onLive.results?.map((r) => `${r.migrationName} ${r.status}`)).toEqual(['0005-add-order-note Success']);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from customers where email = 'live@example.com'`.execute(liveDb);
      expect(rows[0]!.n).toBe(1);

      // 5. Fresh: the same list builds the same schema from nothing, baseline included.
      const onFresh = await migrateToLatest(freshDb, { migrations: adopted });
      expect(onFresh.results?.map((r) => r.migrationName)).toEqual(['0000-baseline', '0005-add-order-note']);
      const livePool = createPool(withDatabaseName(serverUrl, live), 1);
      const freshPool = createPool(withDatabaseName(serverUrl, fresh), 1);
      try {
        expect(await dumpPublicSchema(freshPool)).toEqual(await dumpPublicSchema(livePool));
      } finally {
        await livePool.end();
        await freshPool.end();
      }
      // And the types of both agree after the new migration too.
      const fromFresh = await introspectTypes(withDatabaseName(serverUrl, fresh), join(work, 'fresh.generated.ts'));
      const fromLive = await introspectTypes(withDatabaseName(serverUrl, live), join(work, 'live-after.generated.ts'));
      expect(fromFresh.ok && fromLive.ok, `${fromFresh.output}${fromLive.output}`).toBe(true);
      expect(readFileSync(join(work, 'fresh.generated.ts'), 'utf8')).toBe(readFileSync(join(work, 'live-after.generated.ts'), 'utf8'));
      expect(readFileSync(join(work, 'fresh.generated.ts'), 'utf8')).toMatch(/note: string \| null;/);
    } finally {
      await liveDb.destroy();
      await freshDb.destroy();
      await admin.query(`drop database if exists ${live} with (force)`);
      await admin.query(`drop database if exists ${fresh} with (force)`);
      await admin.end();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('a failing pg_dump or kysely-codegen never shows the password of the database it was given', async () => {
    const secret = 'not-the-real-one-3c1f';
    const unreachable = `postgres://postgres:${secret}@127.0.0.1:1/postgres`;
    const dump = await dumpSchema(unreachable, PG_DUMP).then(
      () => 'no error',
      (error: unknown) => String(error),
    );
    expect(dump).toMatch(/pg_dump|connection/i);
    expect(dump).not.toContain(secret);
    const types = await introspectTypes(unreachable, join(tmpdir(), 'never-written.generated.ts'));
    expect(types.ok).toBe(false);
    expect(types.output).not.toContain(secret);
  }, 60_000);
});
