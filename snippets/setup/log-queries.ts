// Kysely's `log` option: one callback for every query it runs, with the SQL, the
// parameters and the duration. Here it reports errors always and slow queries only.
import type pg from 'pg';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import type { Database } from '../app/database.ts';

export interface QueryLogEntry {
  level: 'slow' | 'error';
  sql: string;
  durationMs: number;
  error?: string;
}

export interface LogOptions {
  /** Queries that take at least this long are reported. 0 reports every query. */
  slowQueryMs: number;
  write: (entry: QueryLogEntry) => void;
}

// #region log-option
export function createLoggedDatabase(pool: pg.Pool, { slowQueryMs, write }: LogOptions): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log(event: LogEvent) {
      const entry = { sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis) };
      // Parameters are left out on purpose: they carry emails and names into the logs.
      if (event.level === 'error') {
        write({ level: 'error', ...entry, error: event.error instanceof Error ? event.error.message : String(event.error) });
      } else if (event.queryDurationMillis >= slowQueryMs) {
        write({ level: 'slow', ...entry });
      }
    },
  });
}
// #endregion log-option
