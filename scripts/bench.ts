// npm run bench [-- <suite>...] [--quick] [--out <file>]
//
// Measures the claims the guide makes and writes site/data/bench-results.json,
// which the pages cite figure by figure. Runs on an embedded PostgreSQL unless
// DATABASE_URL is set; either way it works in databases of its own, dropped at the end.
import { parseArgs } from 'node:util';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveDatabase } from '../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../lib/db/connect.ts';
import { createDatabase as createKysely } from '../snippets/setup/create-database.ts';
import { migrateToLatest } from '../snippets/app/migrate.ts';
import { seedStorefront } from '../snippets/app/seed.ts';
import { SUITES } from './bench/suites/index.ts';
import { runSuites } from './bench/run.ts';
import { compareWithPrevious, mergeResults, readResults, writeResults } from './bench/results.ts';
import { BENCH_RESULTS_FILE } from '../lib/bench-results-file.ts';
import { createProgress, formatSuite } from './bench/report.ts';

/** Storefront seed scale per size: scale 10 is 6,000 categories, 30,000 products, 15,000 orders. */
const SCALE = { quick: 2, full: 10 } as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: npm run bench [-- <suite>...] [--quick] [--out <file>]

suites: ${SUITES.map((s) => `\n  ${s.name.padEnd(10)} ${s.describe}`).join('')}

With no suite names, every suite runs.
A full run writes ${BENCH_RESULTS_FILE} (suites not run keep their previous figures);
--quick measures less and writes to ${join(tmpdir(), 'bench-results.quick.json')} unless --out is given.
DATABASE_URL=postgres://... runs against that server (the role needs CREATE DATABASE).`);
  process.exit(0);
}

const unknown = positionals.filter((name) => !SUITES.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}. Known: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const suites = positionals.length ? SUITES.filter((s) => positionals.includes(s.name)) : SUITES;
const size = values.quick ? 'quick' : 'full';
const out = values.out ?? (size === 'full' ? BENCH_RESULTS_FILE : join(tmpdir(), 'bench-results.quick.json'));

const wallStart = performance.now();
const server = await resolveDatabase();
const admin = createPool(server.url, 1);
const prefix = `handbook_bench_${process.pid}`;
const storefrontName = `${prefix}_storefront`;
let exitCode = 0;
try {
  console.error(`[bench] ${size} run of: ${suites.map((s) => s.name).join(', ')}`);
  console.error(`[bench] seeding the Storefront at scale ${SCALE[size]} into ${storefrontName}`);
  await admin.query(`create database ${storefrontName}`);
  const pool = createPool(withDatabaseName(server.url, storefrontName), 5);
  const db = createKysely(pool);
  try {
    await migrateToLatest(db);
    const counts = await seedStorefront(db, { seed: 42, scale: SCALE[size] });
    const progress = createProgress();
    const notes = [
      `Storefront seeded at scale ${SCALE[size]}: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
      `Client and server on the same ${cpus().length}-CPU machine; the load average shows whether other work shared the CPUs during the run.`,
      ...(process.env.BENCH_NOTE ? [process.env.BENCH_NOTE] : []),
    ];
    const results = await runSuites({
      size,
      suites,
      adminUrl: server.url,
      databasePrefix: prefix,
      storefront: { pool, db },
      databaseSource: server.source,
      notes,
      progress: (label) => progress.update(label),
      log: (line) => console.error(line),
      onSuiteDone: (name, record) => {
        progress.clear();
        console.log(formatSuite(name, record));
      },
    });
    const merged = mergeResults(out, compareWithPrevious(readResults(out), results));
    writeResults(out, merged);
    const failed = Object.values(results.suites).flatMap((s) => s.checks.filter((c) => !c.equal));
    const env = results.environment;
    console.log(`\n${env.postgres} (${server.source}) · ${env.cpuModel} × ${env.cpuCount} · Node ${env.node} · commit ${env.gitCommit}`);
    console.log(`load average ${env.loadAverage.start} → ${env.loadAverage.end} · wrote ${out}`);
    if (failed.length) {
      console.error(`✗ ${failed.length} variant pair(s) returned different data: ${failed.map((c) => c.name).join('; ')}`);
      exitCode = 1;
    }
  } finally {
    await db.destroy();
  }
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${prefix}\\_%`]);
  for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
  await admin.end();
  await server.stop();
  console.error(`[bench] wall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s`);
}
process.exit(exitCode);
