// Regenerates snippets/app/schema.generated.ts from the migrations:
//   npm run db:types            write the file
//   npm run db:types -- --verify  exit 1 if the committed file is out of date
import { parseArgs } from 'node:util';
import { $ } from 'zx';
import { resolveDatabase } from '../../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';

export const GENERATED_TYPES_FILE = 'snippets/app/schema.generated.ts';

export async function runTypesCodegen(adminUrl: string, database: string, verify: boolean): Promise<{ ok: boolean; output: string }> {
  const url = withDatabaseName(adminUrl, database);
  const result = await $({
    nothrow: true,
    quiet: true,
  })`npx kysely-codegen --dialect postgres --url ${url} --out-file ${GENERATED_TYPES_FILE} --exclude-pattern kysely_* --log-level error ${verify ? ['--verify'] : []}`;
  return { ok: result.exitCode === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

if (import.meta.main) {
  let verify = false;
  try {
    verify = parseArgs({ options: { verify: { type: 'boolean', default: false } } }).values.verify;
  } catch (error) {
    console.error(`db:types: ${(error as Error).message}`);
    process.exit(2);
  }
  const server = await resolveDatabase();
  const admin = createPool(server.url, 1);
  const database = `handbook_codegen_${process.pid}`;
  try {
    await admin.query(`create database ${database}`);
    const pool = createPool(withDatabaseName(server.url, database));
    const db = createKysely(pool);
    await migrateToLatest(db);
    await db.destroy();
    const { ok, output } = await runTypesCodegen(server.url, database, verify);
    console.log(ok ? `${GENERATED_TYPES_FILE} is ${verify ? 'up to date' : 'written'}` : output);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await admin.query(`drop database if exists ${database}`);
    await admin.end();
    await server.stop();
  }
}
