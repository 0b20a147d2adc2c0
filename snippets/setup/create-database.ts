// How the Storefront connects: one pg Pool per process, one Kysely on top of it.
// Kysely does not open connections itself; the dialect borrows them from this pool.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../app/database.ts';

// #region int8
// count(*) and sum() return int8. pg hands int8 over as a string by default, because a
// JavaScript number loses precision above 2^53; our counts and sums stay far below that.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// #endregion int8

// #region pool
export function createPool(connectionString: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    // Every connection is a server process: size the pool for the database, not for traffic.
    max: options.max ?? 10,
    // Fail fast when the pool is exhausted or the server is unreachable, instead of queueing forever.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Shown in pg_stat_activity, so on-call can tell the app's sessions from everything else.
    // PgBouncer passes application_name through; it refuses statement_timeout and friends
    // as startup parameters, which is why the timeouts live on the role (session-defaults below).
    application_name: 'storefront',
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, it crashes the process.
  pool.on('error', (error) => console.error('idle PostgreSQL connection failed:', error.message));
  // A connection checked out of the pool (inside a transaction, say) has no listener of the pool's:
  // if the server ends that session (pg_terminate_backend, a restart), pg emits 'error' on the client
  // and the process crashes. The query in flight is already rejected with the same error.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
// #endregion pool

// #region session-defaults
/** Server-side limits: a runaway query or a forgotten transaction cannot hold locks for ever. */
export const SESSION_DEFAULTS = {
  statement_timeout: 10_000,
  lock_timeout: 2_000,
  idle_in_transaction_session_timeout: 30_000,
} as const;

/**
 * Stores the limits on the application's role, for its database only. PostgreSQL applies
 * them to every new session of that role, whoever opens it: the pool, PgBouncer's server
 * connections, a psql session. Run it once at deploy time, as the database owner.
 */
export async function applySessionDefaults(db: Kysely<Database>, role: string, database: string): Promise<void> {
  for (const [name, ms] of Object.entries(SESSION_DEFAULTS)) {
    // Identifiers cannot be parameters: sql.id quotes them; the values are our own integers.
    await sql`alter role ${sql.id(role)} in database ${sql.id(database)} set ${sql.raw(name)} = ${sql.lit(ms)}`.execute(db);
  }
}
// #endregion session-defaults

// #region set-local
/**
 * One transaction with a different limit (a slow report, a bulk fix). set_config(…, true)
 * is SET LOCAL: it ends with the transaction, so it cannot leak to the next user of the
 * connection, which under PgBouncer's transaction pooling is another client.
 */
export async function withStatementTimeout<T>(db: Kysely<Database>, ms: number, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${String(ms)}, true)`.execute(trx);
    return work(trx);
  });
}
// #endregion set-local

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
