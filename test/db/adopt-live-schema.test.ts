// Adopting Kysely's Migrator on a schema that already runs: on the PostgreSQL 15 service,
// because Debian's pg_dump 15 cannot dump the embedded PostgreSQL 18 (pg_dump refuses a
// newer server). Locally the test is skipped, with the reason, when the service or pg_dump
// is missing; under CI=true that fails instead.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest, type HandbookMigration } from '../../snippets/app/migrate.ts';
import { GENERATED_TYPES_FILE } from '../../scripts/db/types-codegen.ts';
import { baselineMigration, dumpSchema, introspectTypes, markApplied } from '../../snippets/schema-changes/adopt-live-schema.ts';
import { dumpPublicSchema } from './catalog-dump.ts';

const SERVICE_URL = process.env.PG15_SERVICE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

async function unavailable(): Promise<string | undefined> {
  if (!existsSync(PG_DUMP)) return `${PG_DUMP} is missing; install it with: sudo apt-get install -y postgresql-client-15`;
  const client = new pg.Client({ connectionString: SERVICE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: number }>(`select current_setting('server_version_num')::int / 10000 as v`);
    if (rows[0]!.v !== 15) return `the server at ${new URL(SERVICE_URL).host} is PostgreSQL ${rows[0]!.v}, not 15`;
    return undefined;
  } catch (error) {
    return `the PostgreSQL 15 service at ${new URL(SERVICE_URL).host} is not reachable (${error instanceof Error ? error.message : String(error)}); set PG15_SERVICE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

const reason = await unavailable();
if (reason && process.env.CI === 'true') throw new Error(`${reason} (CI=true: the adoption test must run)`);

// A migration released after adoption: it must be the only thing the Migrator runs on the live database.
const addNote: HandbookMigration = {
  async up(db) {
    await db.schema.alterTable('orders').addColumn('note', 'text').execute();
  },
  async down(db) {
    await db.schema.alterTable('orders').dropColumn('note').execute();
  },
};

describe.skipIf(reason)(`adopting the Migrator on a live schema${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('introspects it, baselines it from pg_dump, marks the baseline applied without running it, then runs only what comes after', async () => {
    const suffix = randomBytes(4).toString('hex');
    const live = `i18_adopt_live_${suffix}`;
    const fresh = `i18_adopt_fresh_${suffix}`;
    const admin = createPool(SERVICE_URL, 1);
    const work = mkdtempSync(join(tmpdir(), 'adopt-'));
    const liveDb = createKysely(createPool(withDatabaseName(SERVICE_URL, live), 2));
    const freshDb = createKysely(createPool(withDatabaseName(SERVICE_URL, fresh), 2));
    try {
      await admin.query(`create database ${live}`);
      await admin.query(`create database ${fresh}`);

      // 1. "Production": the Storefront schema with data, built without Kysely's bookkeeping.
      await migrateToLatest(liveDb);
      await sql`drop table kysely_migration, kysely_migration_lock`.execute(liveDb);
      await sql`insert into customers (email, name) values ('live@example.com', 'Live customer')`.execute(liveDb);

      // 2. Types from the live schema: identical to the committed ones (the existing drift check, pointed at production).
      const introspected = await introspectTypes(withDatabaseName(SERVICE_URL, live), join(work, 'live.generated.ts'));
      expect(introspected.ok, introspected.output).toBe(true);
      expect(readFileSync(join(work, 'live.generated.ts'), 'utf8')).toBe(readFileSync(GENERATED_TYPES_FILE, 'utf8'));

      // 3. The baseline, from pg_dump --schema-only, with nothing psql-specific left in it.
      const schemaSql = await dumpSchema(withDatabaseName(SERVICE_URL, live), PG_DUMP);
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
      const livePool = createPool(withDatabaseName(SERVICE_URL, live), 1);
      const freshPool = createPool(withDatabaseName(SERVICE_URL, fresh), 1);
      try {
        expect(await dumpPublicSchema(freshPool)).toEqual(await dumpPublicSchema(livePool));
      } finally {
        await livePool.end();
        await freshPool.end();
      }
      // And the types of both agree after the new migration too.
      const fromFresh = await introspectTypes(withDatabaseName(SERVICE_URL, fresh), join(work, 'fresh.generated.ts'));
      const fromLive = await introspectTypes(withDatabaseName(SERVICE_URL, live), join(work, 'live-after.generated.ts'));
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
});
