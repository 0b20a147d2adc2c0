import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../snippets/app/database.ts';

// int8 (count(*), sum()) arrives as a string by default; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function createPool(connectionString: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its server (e.g. a terminated backend in a drill) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
