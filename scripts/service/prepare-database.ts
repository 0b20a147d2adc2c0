// Gets a database ready for the service: create it when missing, migrate it,
// and seed it only when it has no products (never on top of real data).
import pg from 'pg';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { seedStorefront } from '../../snippets/app/seed.ts';
import { applySessionDefaults } from '../../snippets/setup/create-database.ts';

export interface PreparedDatabase {
  url: string;
  created: boolean;
  seeded: boolean;
  /** Why the role's timeouts could not be stored (e.g. not the owner), or undefined when they were. */
  sessionDefaultsWarning?: string;
}

/**
 * `serverUrl` points at a maintenance database (…/postgres) or at the app's own database.
 * For a maintenance database, the service gets `name` next to it, so it never fills `postgres`.
 */
export async function prepareServiceDatabase(
  serverUrl: string,
  name = 'storefront',
  seed = { seed: 42, scale: 1 },
): Promise<PreparedDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name must be a plain lower-case identifier, got "${name}"`);
  const path = new URL(serverUrl).pathname.replace(/^\//, '');
  let url = serverUrl;
  let created = false;
  if (path === '' || path === 'postgres') {
    url = withDatabaseName(serverUrl, name);
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (!rowCount) {
        // The name passed the identifier check above; CREATE DATABASE takes no parameters.
        await admin.query(`create database ${name}`);
        created = true;
      }
    } finally {
      await admin.end();
    }
  }
  const pool = createPool(url, 2);
  const db = createKysely(pool);
  try {
    await migrateToLatest(db);
    const { count } = await db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const seeded = Number(count) === 0;
    if (seeded) await seedStorefront(db, seed);
    // The service's timeouts are role settings, so they also hold through PgBouncer (see the guide's pool).
    let sessionDefaultsWarning: string | undefined;
    try {
      const { rows } = await pool.query<{ role: string; database: string }>('select current_user as role, current_database() as database');
      await applySessionDefaults(db, rows[0]!.role, rows[0]!.database);
    } catch (error) {
      sessionDefaultsWarning = (error as Error).message;
    }
    return { url, created, seeded, sessionDefaultsWarning };
  } finally {
    await db.destroy();
  }
}
