// How the Storefront connects: one pg Pool per process, one Kysely on top of it.
// Kysely does not open connections itself; the dialect borrows them from this pool.
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../app/database.ts';

// #region int8
// count(*) and sum() return int8. pg hands int8 over as a string by default, because a
// JavaScript number loses precision above 2^53; our counts and sums stay far below that.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// #endregion int8

// #region pool
export function createPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    // Every connection is a server process: size the pool for the database, not for traffic.
    max: 10,
    // Fail fast when the pool is exhausted or the server is unreachable, instead of queueing forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Shown in pg_stat_activity, so on-call can tell the app's sessions from everything else.
    application_name: 'storefront',
    // Server-side limits: a runaway query or a forgotten transaction cannot hold locks for ever.
    statement_timeout: 10_000,
    lock_timeout: 2_000,
    idle_in_transaction_session_timeout: 30_000,
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, it crashes the process.
  pool.on('error', (error) => console.error('idle PostgreSQL connection failed:', error.message));
  return pool;
}
// #endregion pool

// #region dialect
export function createDatabase(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
// #endregion dialect

// #region shutdown
/** Ends the pool too: call once, when the process stops. */
export async function closeDatabase(db: Kysely<Database>): Promise<void> {
  await db.destroy();
}
// #endregion shutdown
