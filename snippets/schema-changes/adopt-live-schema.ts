// Putting a database that already runs in production under Kysely's Migrator, without
// touching its tables: introspect it for types, capture its schema as a baseline migration,
// and record that baseline as applied there, so the Migrator only ever runs what comes after.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { HandbookMigration } from '../app/migrate.ts';

const run = promisify(execFile);

// #region introspect
/** Writes the Database types of the live schema, as `npm run db:types` does for a migrated one. */
export async function introspectTypes(url: string, outFile: string, verify = false): Promise<{ ok: boolean; output: string }> {
  const args = ['kysely-codegen', '--dialect', 'postgres', '--out-file', outFile, '--exclude-pattern', 'kysely_*', '--log-level', 'error'];
  // The URL goes in the environment (kysely-codegen reads DATABASE_URL), not in argv, where
  // `ps` and a failed command's error message would show its password.
  const env = { ...process.env, DATABASE_URL: url };
  try {
    const { stdout, stderr } = await run('npx', verify ? [...args, '--verify'] : args, { env });
    return { ok: true, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}`.trim() };
  }
}
// #endregion introspect

// #region dump-baseline
/**
 * The live schema as SQL, from pg_dump (whose major version must be at least the server's).
 * What pg_dump writes for psql is removed: its `\restrict` meta-commands, and the session
 * settings it puts first. Run inside a migration, `set_config('search_path', '', false)` would
 * outlive it on the pooled connection, and `SET lock_timeout = 0` would undo the runner's.
 */
export async function dumpSchema(url: string, pgDump = 'pg_dump'): Promise<string> {
  // The password travels in PGPASSWORD, never in argv (visible to `ps`, and quoted whole in
  // the error a failed pg_dump throws).
  const target = new URL(url);
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(target.password) };
  target.password = '';
  const { stdout } = await run(
    pgDump,
    ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=kysely_migration*', `--dbname=${target.href}`],
    { env, maxBuffer: 64 * 1024 * 1024 },
  );
  const kept = stdout
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('\\') && !line.startsWith('--') && !/^SET \w+ = /.test(line) && !/^SELECT pg_catalog\.set_config\(/.test(line),
    );
  return `${kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
// #endregion dump-baseline

// #region baseline-migration
/**
 * Migration 0000: the schema as it was when the team adopted the Migrator. It runs only on
 * a database that starts empty (a developer's, CI's); production has it marked as applied.
 */
export function baselineMigration(schemaSql: string): HandbookMigration {
  return {
    async up(db) {
      await sql.raw(schemaSql).execute(db);
    },
    // No down(): rolling the baseline back would drop the production schema.
  };
}
// #endregion baseline-migration

// #region mark-applied
/** Records `name` as applied without running it. Run it once, on each database that already has the schema. */
export async function markApplied(db: Kysely<any>, name: string): Promise<void> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('kysely_migration') is not null as exists`.execute(db);
  if (!rows[0]?.exists) {
    // An empty run makes the Migrator create its own tables, exactly as it would on first use.
    const { error } = await new Migrator({ db, provider: { getMigrations: () => Promise.resolve({}) } }).migrateToLatest();
    if (error) throw new Error('the Migrator could not create its kysely_migration table', { cause: error });
  }
  await db
    .insertInto('kysely_migration')
    .values({ name, timestamp: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
// #endregion mark-applied
