// Regenerates snippets/app/schema.generated.ts from the migrations:
//   npm run db:types            write the file
//   npm run db:types -- --verify  exit 1 if the committed file is out of date
import { parseArgs } from 'node:util';
import { resolveDatabase } from '../../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { introspectTypes } from '../../snippets/schema-changes/adopt-live-schema.ts';

export const GENERATED_TYPES_FILE = 'snippets/app/schema.generated.ts';

export async function runTypesCodegen(adminUrl: string, database: string, verify: boolean): Promise<{ ok: boolean; output: string }> {
  const result = await introspectTypes(withDatabaseName(adminUrl, database), GENERATED_TYPES_FILE, verify);
  return result.ok ? result : { ok: false, output: explainFailure(result.output) };
}

// kysely-codegen reports a failure by throwing: its diff (with --verify) or its message, then
// a stack trace into node_modules. Keep what it found, drop the stack, say what to do.
function explainFailure(output: string): string {
  const lines = output.split('\n');
  const stack = lines.findIndex((line) => line.includes('node_modules/kysely-codegen/') || /^\s+at /.test(line));
  const found = (stack < 0 ? lines : lines.slice(0, stack)).join('\n').trim();
  if (/not up-to-date/.test(output)) {
    return `${found}\n${GENERATED_TYPES_FILE} does not match the migrations: run \`npm run db:types\` and commit the result`;
  }
  const message = lines.find((line) => /^\w*Error:/.test(line)) ?? lines.find((line) => line.trim() !== '') ?? 'no output';
  return `kysely-codegen failed: ${message.replace(/^\w*Error:\s*/, '')}`;
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
    if (ok) console.log(`${GENERATED_TYPES_FILE} is ${verify ? 'up to date' : 'written'}`);
    else console.error(output);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await admin.query(`drop database if exists ${database}`);
    await admin.end();
    await server.stop();
  }
}
