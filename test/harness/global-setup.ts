// Runs once per `vitest` process (so once per shard): one PostgreSQL server,
// one template database migrated and seeded once. Test files clone it.
import type { TestProject } from 'vitest/node';
import { resolveDatabase } from '../../scripts/db/resolve-database.ts';
import { createKysely, createPool, withDatabaseName } from '../../scripts/db/connect.ts';
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

export default async function setup(project: TestProject) {
  // #region template
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

  project.provide('adminUrl', server.url);
  project.provide('runId', runId);
  project.provide('databaseSource', server.source);
  // #endregion template

  // #region teardown
  return async () => {
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
  };
  // #endregion teardown
}
