// Measures what the test harness pays to isolate one test file: cloning the
// seeded template (CREATE DATABASE … TEMPLATE) and dropping the clone.
//   npm run measure:isolation [-- --files 30]
import { resolveDatabase } from './resolve-database.ts';
import { createKysely, createPool, withDatabaseName } from './connect.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { seedStorefront } from '../../snippets/app/seed.ts';

const filesArg = process.argv.indexOf('--files');
const files = filesArg > 0 ? Number(process.argv[filesArg + 1]) : 30;
// The harness uses the default strategy (WAL_LOG since PostgreSQL 15); --file-copy compares the old one.
const strategy = process.argv.includes('--file-copy') ? 'strategy file_copy' : '';
const server = await resolveDatabase();
const admin = createPool(server.url, 1);
const template = `hb_isolation_${process.pid}`;
try {
  await admin.query(`create database ${template}`);
  const db = createKysely(createPool(withDatabaseName(server.url, template)));
  await migrateToLatest(db);
  const counts = await seedStorefront(db, { seed: 42, scale: 1 });
  await db.destroy();
  const { rows } = await admin.query(`select pg_database_size($1)::bigint as bytes, current_setting('server_version') as version`, [template]);

  const create: number[] = [];
  const drop: number[] = [];
  for (let i = 0; i < files; i++) {
    const name = `${template}_c${i}`;
    let t = performance.now();
    await admin.query(`create database ${name} template ${template} ${strategy}`);
    create.push(performance.now() - t);
    t = performance.now();
    await admin.query(`drop database ${name}`);
    drop.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
  console.log(`PostgreSQL ${rows[0].version}; template ${(Number(rows[0].bytes) / 1e6).toFixed(1)} MB with ${counts.products} products, ${counts.orders} orders`);
  console.log(`clone per file: median ${median(create).toFixed(1)} ms, p95 ${p95(create).toFixed(1)} ms; drop: median ${median(drop).toFixed(1)} ms (${files} files)`);
  console.log(`isolation per file (clone + drop): median ${(median(create) + median(drop)).toFixed(1)} ms`);
} finally {
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname like $1 and pid <> pg_backend_pid()`, [`${template}%`]);
  for (const { datname } of (await admin.query(`select datname from pg_database where datname like $1`, [`${template}%`])).rows) {
    await admin.query(`drop database if exists ${datname}`);
  }
  await admin.end();
  await server.stop();
}
