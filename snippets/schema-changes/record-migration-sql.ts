// The SQL a migration would send, without a database: a Kysely whose driver records each
// compiled statement and answers with no rows. The migration runs through the very code the
// real runner uses (`runWithLockTimeout`, in a transaction unless it opted out), so the
// recording includes BEGIN/COMMIT and the `SET lock_timeout` a linter looks for.
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { MIGRATION_DEFAULTS, runWithLockTimeout, type HandbookMigration } from '../app/migrate.ts';

// #region recording-driver
/** Writes a parameter as the SQL literal PostgreSQL would have received, so the text stands alone. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

function inline({ sql, parameters }: CompiledQuery): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(parameters[Number(n) - 1]));
}

class RecordingDriver implements Driver {
  readonly statements: string[];
  constructor(statements: string[]) {
    this.statements = statements;
  }
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    const statements = this.statements;
    return Promise.resolve({
      executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        statements.push(inline(query));
        return Promise.resolve({ rows: [] });
      },
      streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('the recording driver does not stream');
      },
    });
  }
  beginTransaction(): Promise<void> {
    this.statements.push('begin');
    return Promise.resolve();
  }
  commitTransaction(): Promise<void> {
    this.statements.push('commit');
    return Promise.resolve();
  }
  rollbackTransaction(): Promise<void> {
    this.statements.push('rollback');
    return Promise.resolve();
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}
// #endregion recording-driver

function recordingDialect(statements: string[]): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new RecordingDriver(statements),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  };
}

// #region record
/**
 * The statements `up` (or `down`) of a migration sends, each ending in `;`. A migration that
 * reads rows to decide what to do sees none here: the recording is of what it sends to an
 * empty answer, which is what a schema change should be. `lockTimeoutMs: null` records it as
 * Kysely's stock Migrator would run it, with no lock_timeout.
 */
export async function recordMigrationSql(
  migration: HandbookMigration,
  direction: 'up' | 'down' = 'up',
  lockTimeoutMs: number | null = MIGRATION_DEFAULTS.lockTimeoutMs,
): Promise<string> {
  const statements: string[] = [];
  const db = new Kysely<any>({ dialect: recordingDialect(statements) });
  const run = async (conn: Kysely<any>) => {
    if (lockTimeoutMs !== null) return runWithLockTimeout(conn, migration, direction, lockTimeoutMs);
    await (direction === 'up' ? migration.up(conn) : migration.down?.(conn));
  };
  try {
    if (migration.transaction === false) {
      await db.connection().execute(run);
    } else {
      await db.transaction().execute(run);
    }
  } finally {
    await db.destroy();
  }
  return statements.map((statement) => `${statement.trim()};\n`).join('');
}
// #endregion record
