// Connection helpers shared by tests, scripts and runbooks. A Kysely instance for the Storefront
// comes from the guide's own factory, createDatabase in snippets/setup/create-database.ts.
import pg from 'pg';

// int8 (count(*), sum()) arrives as a string by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function createPool(connectionString: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // A client that loses its server (e.g. a terminated backend in a drill) must not crash the process:
  // idle ones report to the pool, checked-out ones to themselves (their query has failed already).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
