// What isolation costs in this harness, measured, not guessed:
//   - per test file: CREATE DATABASE … TEMPLATE of the seeded template, and the DROP after;
//   - per test: the BEGIN and ROLLBACK of the transaction-per-test fixture.
// Run it with `npm run measure:test-isolation`; it writes snippets/testing/evidence/isolation-cost.json,
// which the Testing page reads. The test suite runs it at a tiny size only to keep it working.
import { writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabaseStatement } from '../../lib/db/copy-database.ts';
import { createDatabase as createKysely } from '../setup/create-database.ts';
import { percentile } from '../../lib/percentile.ts';

export interface Summary {
  samples: number;
  medianMs: number;
  p95Ms: number;
}

export interface IsolationCost {
  measuredAt: string;
  postgres: string;
  cpus: number;
  /** Other work on the machine skews the figures; this says how busy it was. */
  loadAverage1m: number;
  templateBytes: number;
  clone: Summary;
  drop: Summary;
  beginRollback: Summary;
}

export function summarise(durations: number[]): Summary {
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { samples: sorted.length, medianMs: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)) };
}

export interface MeasureOptions {
  admin: pg.Pool;
  adminUrl: string;
  /** A migrated, seeded database nobody is connected to. */
  template: string;
  /** Names the throwaway clones; they are dropped as they are measured. */
  cloneName: (index: number) => string;
  files: number;
  tests: number;
}

// #region measure
export async function measureIsolation(options: MeasureOptions): Promise<IsolationCost> {
  const { admin, template } = options;
  const clone: number[] = [];
  const drop: number[] = [];
  for (let i = 0; i < options.files; i++) {
    const name = options.cloneName(i);
    let started = performance.now();
    await admin.query(createDatabaseStatement(name, template)); // what the fixture runs per file
    clone.push(performance.now() - started);
    started = performance.now();
    await admin.query(`drop database ${name} with (force)`);
    drop.push(performance.now() - started);
  }

  // The per-test transaction, on a warm connection, as the fixture uses it.
  const scratch = options.cloneName(options.files);
  await admin.query(createDatabaseStatement(scratch, template));
  const db = createKysely(createPool(withDatabaseName(options.adminUrl, scratch), 1));
  const beginRollback: number[] = [];
  try {
    await db.selectFrom('products').select('id').limit(1).execute(); // opens the connection
    for (let i = 0; i < options.tests; i++) {
      const started = performance.now();
      const trx = await db.startTransaction().execute();
      await trx.rollback().execute();
      beginRollback.push(performance.now() - started);
    }
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${scratch} with (force)`);
  }

  const { rows } = await admin.query<{ version: string; bytes: number }>(
    `select current_setting('server_version') as version, pg_database_size($1) as bytes`,
    [template],
  );
  return {
    measuredAt: new Date().toISOString(),
    postgres: rows[0]!.version,
    cpus: availableParallelism(),
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    templateBytes: Number(rows[0]!.bytes),
    clone: summarise(clone),
    drop: summarise(drop),
    beginRollback: summarise(beginRollback),
  };
}
// #endregion measure

export const RESULTS_FILE = join(import.meta.dirname, 'evidence', 'isolation-cost.json');

// Run as a command: a server from the resolver, a template built like the harness builds it.
if (import.meta.main) {
  const { resolveDatabase } = await import('../../lib/db/resolve-database.ts');
  const { migrateToLatest } = await import('../app/migrate.ts');
  const { seedStorefront } = await import('../app/seed.ts');
  const { TEST_SEED, TEST_SCALE } = await import('../../test/harness/naming.ts');
  const server = await resolveDatabase();
  const admin = createPool(server.url, 1);
  const template = `hb_measure_${process.pid}`;
  try {
    await admin.query(`create database ${template}`);
    const seeding = createKysely(createPool(withDatabaseName(server.url, template)));
    await migrateToLatest(seeding);
    await seedStorefront(seeding, { seed: TEST_SEED, scale: TEST_SCALE });
    await seeding.destroy();
    const result = await measureIsolation({
      admin,
      adminUrl: server.url,
      template,
      cloneName: (i) => `${template}_c${i}`,
      files: 40,
      tests: 500,
    });
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`clone: median ${result.clone.medianMs} ms, p95 ${result.clone.p95Ms} ms (${result.clone.samples} files)`);
    console.log(`drop: median ${result.drop.medianMs} ms; begin+rollback: median ${result.beginRollback.medianMs} ms`);
    console.log(`wrote ${RESULTS_FILE}`);
  } finally {
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
    await server.stop();
  }
}
