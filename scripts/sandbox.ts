// `npm run sandbox`: a throwaway PostgreSQL with Storefront migrated and seeded,
// for practising the runbooks. Prints its DATABASE_URL and stays up until Ctrl-C.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { resolveDatabase } from '../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../lib/db/connect.ts';
import { createDatabase as createKysely } from '../snippets/setup/create-database.ts';
import { migrateToLatest } from '../snippets/app/migrate.ts';
import { seedStorefront } from '../snippets/app/seed.ts';

import { SANDBOX_STATE, STATE_DIR } from './practice-state.ts';

// Always embedded: the sandbox must never be a DATABASE_URL that points at a real server.
const server = await resolveDatabase({ env: { ...process.env, DATABASE_URL: '', HANDBOOK_DB: 'embedded' } });
const admin = createPool(server.url, 1);
await admin.query('create database storefront');
await admin.end();
const url = withDatabaseName(server.url, 'storefront');
const db = createKysely(createPool(url, 2));
await migrateToLatest(db);
const counts = await seedStorefront(db, { seed: 42, scale: 1 });
// The embedded server preloads pg_stat_statements; creating it lets slow-queries show top statements.
await sql`create extension if not exists pg_stat_statements`.execute(db).catch(() => {});
await db.destroy();

mkdirSync(STATE_DIR, { recursive: true });
writeFileSync(SANDBOX_STATE, `${JSON.stringify({ url, pid: process.pid, startedAt: new Date().toISOString() }, null, 2)}\n`);

console.log(`
Sandbox ready: Storefront seeded (${counts.products} products, ${counts.orders} orders).

  export DATABASE_URL='${url}'

Try a runbook:      npx zx runbooks/health-check.ts
Inject a fault:     npm run drill -- lock        (lock, idle-in-transaction, long-query, dead-tuples, deadlock, migration)
Remove the faults:  npm run drill -- --clear

Press Ctrl-C to stop the sandbox and delete its data.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  rmSync(SANDBOX_STATE, { force: true });
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => {}, 1 << 30);
