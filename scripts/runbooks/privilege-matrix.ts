// Runs every runbook as three roles (superuser, the documented on-call role with pg_monitor +
// pg_signal_backend, and a plain login role) on a healthy database and with each runbook's
// fault injected, and prints verdict and exit code per cell. It measures; it asserts nothing.
//   npx tsx scripts/runbooks/privilege-matrix.ts --database-url postgres://postgres@host/storefront_copy
// The target must be a Storefront database you may break (a clone), reached as a superuser.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deadTuples, deadlockLoop, holdLock, idleInTransaction, longQuery, type Fault } from '../../runbooks/drills/faults.ts';

const { values } = parseArgs({
  args: process.argv.slice(process.argv.findIndex((arg) => arg.endsWith('privilege-matrix.ts')) + 1),
  options: { 'database-url': { type: 'string' } },
});
const target = values['database-url'];
if (!target) {
  console.error('privilege-matrix: pass --database-url of a disposable Storefront database, as a superuser');
  process.exit(2);
}

const admin = new pg.Client({ connectionString: target });
await admin.connect();

async function flag(value: string): Promise<Fault> {
  await admin.query(`update feature_flags set value = $1 where key = 'data_layer'`, [value]);
  return {
    pids: [],
    description: `data_layer = ${value}`,
    clear: async () => void (await admin.query(`update feature_flags set value = 'legacy' where key = 'data_layer'`)),
  };
}

// The fault each runbook is about (cache-hit-rate has none that a short run can cause).
const FAULTS: Record<string, (() => Promise<Fault>) | undefined> = {
  'health-check': () => deadTuples(target, 'orders'),
  'slow-queries': () => longQuery(target, 120),
  'lock-contention': () => holdLock(target, 1),
  'connection-saturation': () => idleInTransaction(target, 3),
  'cache-hit-rate': undefined,
  'error-spike': () => deadlockLoop(target),
  'vacuum-bloat': () => deadTuples(target, 'products'),
  rollback: () => flag('kysley'),
};
const ARGS: Record<string, string[]> = {
  'slow-queries': ['--longer-than', '1s'],
  'lock-contention': ['--min-wait', '1s'],
  'connection-saturation': ['--older-than', '1s'],
  'error-spike': ['--window', '3s'],
  'health-check': ['--window', '500ms'],
};

function urlAs(name: string, password: string): string {
  const url = new URL(target!);
  url.username = name;
  url.password = password;
  return url.toString();
}

const suffix = randomBytes(3).toString('hex');
const roles: Record<string, string> = { superuser: target };
for (const [label, grants] of [
  ['pg_monitor', 'in role pg_monitor, pg_signal_backend'],
  ['no pg_monitor', ''],
] as const) {
  const name = `matrix_${label === 'pg_monitor' ? 'oncall' : 'plain'}_${suffix}`;
  const password = randomBytes(9).toString('hex');
  await admin.query(`create role ${name} login password '${password}' ${grants}`);
  roles[label] = urlAs(name, password);
}

function run(slug: string, url: string): string {
  const result = spawnSync('npx', ['zx', `runbooks/${slug}.ts`, '--json', ...(ARGS[slug] ?? [])], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  try {
    const report = JSON.parse(result.stdout) as { verdict: string };
    return `${report.verdict} (${result.status})`;
  } catch {
    return `? (${result.status})`;
  }
}

const rows: string[][] = [];
try {
  for (const slug of Object.keys(FAULTS)) {
    const row = [slug];
    for (const role of Object.keys(roles)) row.push(run(slug, roles[role]!));
    const inject = FAULTS[slug];
    if (inject) {
      const fault = await inject();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      try {
        for (const role of Object.keys(roles)) row.push(run(slug, roles[role]!));
      } finally {
        await fault.clear();
      }
    } else row.push('-', '-', '-');
    rows.push(row);
    console.error(row.join(' | '));
  }
} finally {
  for (const label of ['pg_monitor', 'no pg_monitor']) {
    const name = new URL(roles[label]!).username;
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [name]);
    await admin.query(`drop role if exists ${name}`);
  }
  await admin.end();
}

const header = ['runbook', ...Object.keys(roles).map((r) => `healthy, ${r}`), ...Object.keys(roles).map((r) => `faulty, ${r}`)];
console.log([header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n'));
