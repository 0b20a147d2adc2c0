// Global setup of the layers that talk to PostgreSQL (db, runbooks, monitoring): one
// server and one template database, migrated and seeded once per `vitest` process (so
// once per shard), shared by every such layer. Test files clone the template.
import type { TestProject } from 'vitest/node';
import type pg from 'pg';
import { resolveDatabase, type ResolvedDatabase } from '../../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { seedStorefront } from '../../snippets/app/seed.ts';
import { TEST_SEED, TEST_SCALE, databasesOfRun, templateName } from './naming.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    runId: string;
    databaseSource: string;
  }
}

interface RunDatabase {
  server: ResolvedDatabase;
  admin: pg.Pool;
  runId: string;
  template: string;
}

// #region template
async function startRunDatabase(): Promise<RunDatabase> {
  const server = await resolveDatabase();
  // Unique per process, so two shards can share one server (DATABASE_URL) without colliding.
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const admin = createPool(server.url, 2);
  const template = templateName(runId);
  try {
    await admin.query(`create database ${template}`);
    const pool = createPool(withDatabaseName(server.url, template));
    const db = createKysely(pool);
    await migrateToLatest(db);
    await seedStorefront(db, { seed: TEST_SEED, scale: TEST_SCALE });
    // CREATE DATABASE ... TEMPLATE needs the template to have no connections.
    await db.destroy();
  } catch (error) {
    await admin.end();
    await server.stop();
    throw error;
  }
  return { server, admin, runId, template };
}
// #endregion template

// #region teardown
async function stopRunDatabase({ server, admin, runId, template }: RunDatabase): Promise<void> {
  try {
    // Every file drops its clone; one still here means a fixture leaked.
    const leaked = await databasesOfRun(admin, runId);
    for (const name of leaked) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    if (leaked.length > 0) throw new Error(`test databases were not cleaned up: ${leaked.join(', ')}`);
  } finally {
    await admin.end();
    await server.stop();
  }
}
// #endregion teardown

// Each layer gets its own copy of this module, so the shared state lives on globalThis:
// the first layer to start creates the server, the last one to finish stops it.
const shared = globalThis as typeof globalThis & { handbookRunDatabase?: { ready: Promise<RunDatabase>; users: number } };

export default async function setup(project: TestProject) {
  shared.handbookRunDatabase ??= { ready: startRunDatabase(), users: 0 };
  const state = shared.handbookRunDatabase;
  state.users++;
  const run = await state.ready.catch((error: unknown) => {
    state.users--;
    throw error;
  });
  project.provide('adminUrl', run.server.url);
  project.provide('runId', run.runId);
  project.provide('databaseSource', run.server.source);
  return async () => {
    if (--state.users > 0) return;
    shared.handbookRunDatabase = undefined;
    await stopRunDatabase(run);
  };
}
