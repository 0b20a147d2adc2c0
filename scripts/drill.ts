// `npm run drill -- <fault>`: injects a real fault into the sandbox so on-call can
// practise a runbook; `npm run drill -- --clear` removes every fault.
// Faults that need open connections (lock, idle-in-transaction, long-query, deadlock)
// keep this process running until Ctrl-C or `--clear` from another terminal.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { redactUrl } from '../lib/db/redact-url.ts';
import { DRILL_APP_PREFIX, FAULTS, injectFault, type FaultName } from '../runbooks/drills/faults.ts';

import { DRILL_STATE, SANDBOX_STATE, STATE_DIR } from './practice-state.ts';

const RUNBOOK_FOR: Record<FaultName, string> = {
  lock: 'npx zx runbooks/lock-contention.ts --min-wait 1s',
  'idle-in-transaction': 'npx zx runbooks/connection-saturation.ts --older-than 5s',
  'long-query': 'npx zx runbooks/slow-queries.ts --longer-than 5s',
  'dead-tuples': 'npx zx runbooks/vacuum-bloat.ts',
  deadlock: 'npx zx runbooks/error-spike.ts',
  migration: 'npx zx runbooks/rollback.ts',
};
const HOLDS_CONNECTIONS: FaultName[] = ['lock', 'idle-in-transaction', 'long-query', 'deadlock'];

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run drill -- <${FAULTS.join('|')}>   or   npm run drill -- --clear   [--database-url URL]`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: { clear: { type: 'boolean' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
})();
if (values.help) usage('Injects a fault into the practice sandbox (npm run sandbox).');

// Only the sandbox, or a URL named explicitly: never DATABASE_URL, which might be production.
const url =
  values['database-url'] ??
  (existsSync(SANDBOX_STATE) ? (JSON.parse(readFileSync(SANDBOX_STATE, 'utf8')) as { url: string }).url : undefined);
if (!url) usage('No sandbox found (.handbook/sandbox.json). Start one first with `npm run sandbox`, or pass --database-url.');

if (values.clear) {
  await clear(url);
  process.exit(0);
}

const fault = positionals[0] as FaultName | undefined;
if (!fault || !FAULTS.includes(fault)) usage(fault ? `Unknown fault "${fault}".` : 'Name a fault.');

const injected = await injectFault(fault, url);
console.log(
  `Fault "${fault}" injected into ${redactUrl(url)}:\n  ${injected.description}\n\nPractise with:\n  DATABASE_URL='${url}' ${RUNBOOK_FOR[fault]}`,
);
if (!HOLDS_CONNECTIONS.includes(fault)) {
  console.log('\nRemove it with: npm run drill -- --clear');
  process.exit(0);
}

mkdirSync(STATE_DIR, { recursive: true });
writeFileSync(DRILL_STATE, JSON.stringify({ pids: [...readDrillPids(), process.pid] }));
console.log('\nThis process holds the fault. Stop it with Ctrl-C here, or `npm run drill -- --clear` in another terminal.');
const stop = async () => {
  await injected.clear().catch(() => {});
  writeFileSync(DRILL_STATE, JSON.stringify({ pids: readDrillPids().filter((pid) => pid !== process.pid) }));
  console.log(`\nFault "${fault}" cleared.`);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => {}, 1 << 30);

function readDrillPids(): number[] {
  try {
    return (JSON.parse(readFileSync(DRILL_STATE, 'utf8')) as { pids: number[] }).pids;
  } catch {
    return [];
  }
}

async function clear(target: string): Promise<void> {
  // 1. Stop drill processes started from this checkout (only the PIDs we recorded).
  for (const pid of readDrillPids()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  rmSync(DRILL_STATE, { force: true });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const client = new pg.Client({ connectionString: target, application_name: `${DRILL_APP_PREFIX}clear` });
  await client.connect();
  // 2. End any drill session left behind, in this database only.
  const { rows } = await client.query(
    `select pg_terminate_backend(pid) from pg_stat_activity where application_name like $1 and datname = current_database() and pid <> pg_backend_pid()`,
    [`${DRILL_APP_PREFIX}%`],
  );
  // 3. Undo the dead-tuples fault: autovacuum back on, dead tuples vacuumed.
  for (const table of ['products', 'orders']) {
    await client.query(`alter table ${table} reset (autovacuum_enabled)`);
  }
  await client.end();
  const vacuum = new pg.Client({ connectionString: target, application_name: `${DRILL_APP_PREFIX}clear` });
  await vacuum.connect();
  await vacuum.query('vacuum (analyze) products');
  await vacuum.query('vacuum (analyze) orders');
  await vacuum.end();
  console.log(
    `Cleared: ${rows.length} drill session(s) ended, autovacuum re-enabled and products/orders vacuumed. To practise the rollback again: npm run drill -- migration`,
  );
}
