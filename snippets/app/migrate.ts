import { inspect } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationInfo, type MigrationResult, type MigrationResultSet } from 'kysely/migration';
import { migrations as storefrontMigrations } from './migrations/index.ts';

// #region migration-options
/**
 * A migration module may export `transaction = false`. Kysely's Migrator can only turn
 * transactions off for a whole run (`disableTransactions`), so this runner applies
 * migrations one at a time and switches them off for exactly the migrations that ask.
 * `CREATE INDEX CONCURRENTLY` needs that: PostgreSQL refuses to run it in a transaction.
 */
export interface HandbookMigration extends Migration {
  readonly transaction?: boolean;
  /** Squawk rules this migration breaks on purpose, each with the reason (see scripts/db/lint-migrations.ts). */
  readonly lintExceptions?: Readonly<Record<string, string>>;
}

export interface MigrateSettings {
  /** The migrations to run; the Storefront's by default. */
  migrations?: Readonly<Record<string, HandbookMigration>>;
  /** How long one statement may wait for a lock before PostgreSQL gives up (SQLSTATE 55P03). */
  lockTimeoutMs?: number;
  /** How many times a migration is tried when it could not get its lock. */
  attempts?: number;
  /** Wait before the second attempt; it doubles for each later one. */
  retryDelayMs?: number;
  /** Told about each retry; prints to stderr by default. */
  onRetry?: (retry: { migration: string; attempt: number; attempts: number; delayMs: number }) => void;
}

export const MIGRATION_DEFAULTS = { lockTimeoutMs: 2_000, attempts: 5, retryDelayMs: 500 } as const;
// #endregion migration-options

type Direction = 'up' | 'down';

function lockTimeoutLiteral(ms: number) {
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`lockTimeoutMs must be a positive integer, got ${ms}`);
  return sql.lit(`${ms}ms`);
}

// #region lock-timeout
/**
 * Runs one direction of one migration under a lock_timeout. In a transaction the setting
 * is `SET LOCAL` and ends with it; without one it is set on the session and reset after,
 * so the pooled connection goes back as it came.
 */
export async function runWithLockTimeout<DB>(
  db: Kysely<DB>,
  migration: HandbookMigration,
  direction: Direction,
  lockTimeoutMs: number,
): Promise<void> {
  if (direction === 'down' && !migration.down) return;
  const body = () => (direction === 'up' ? migration.up(db) : migration.down?.(db));
  if (migration.transaction === false) {
    await sql`set lock_timeout = ${lockTimeoutLiteral(lockTimeoutMs)}`.execute(db);
    try {
      await body();
    } finally {
      await sql`reset lock_timeout`.execute(db);
    }
  } else {
    // After Kysely's own `set_config('lock_timeout', '3600000', true)` for its migration lock.
    await sql`set local lock_timeout = ${lockTimeoutLiteral(lockTimeoutMs)}`.execute(db);
    await body();
  }
}
// #endregion lock-timeout

function settingsOf(settings: MigrateSettings) {
  return {
    migrations: settings.migrations ?? storefrontMigrations,
    lockTimeoutMs: settings.lockTimeoutMs ?? MIGRATION_DEFAULTS.lockTimeoutMs,
    attempts: settings.attempts ?? MIGRATION_DEFAULTS.attempts,
    retryDelayMs: settings.retryDelayMs ?? MIGRATION_DEFAULTS.retryDelayMs,
    onRetry:
      settings.onRetry ??
      ((r) =>
        console.error(`migration ${r.migration}: lock not available, attempt ${r.attempt} of ${r.attempts}; retrying in ${r.delayMs} ms`)),
  };
}

/**
 * A Migrator over the given migrations, each wrapped in its lock_timeout. `expect` is the
 * one migration this step means to run: the Migrator picks the next one itself, under its
 * advisory lock, and a second deploy may have moved on since we looked.
 */
export function createMigrator<DB>(db: Kysely<DB>, settings: MigrateSettings = {}, expect?: { name?: string }): Migrator {
  const { migrations, lockTimeoutMs } = settingsOf(settings);
  const wrapped: Record<string, Migration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    const guard =
      (direction: Direction): Migration['up'] =>
      async (inner) => {
        if (expect?.name !== undefined && expect.name !== name) {
          throw new Error(
            `expected to ${direction === 'up' ? 'apply' : 'roll back'} ${expect.name} but ${name} is next; another migrator ran meanwhile, run again`,
          );
        }
        await runWithLockTimeout(inner, migration, direction, lockTimeoutMs);
      };
    wrapped[name] = { up: guard('up'), down: migration.down ? guard('down') : undefined };
  }
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(wrapped) } });
}

/** An Error's message; anything else that was thrown, as it would print. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : inspect(error);
}

function isLockTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
}

// #region step
/** Applies or rolls back exactly one migration, retrying a bounded number of times when its lock wait timed out. */
async function step<DB>(db: Kysely<DB>, settings: MigrateSettings, info: MigrationInfo, direction: Direction): Promise<MigrationResult[]> {
  const s = settingsOf(settings);
  const transaction = s.migrations[info.name]?.transaction !== false;
  if (direction === 'down' && !s.migrations[info.name]?.down) {
    throw new Error(`migration ${info.name} has no down(): it cannot be rolled back`);
  }
  const migrator = createMigrator(db, settings, { name: info.name });
  for (let attempt = 1; ; attempt++) {
    const options = { disableTransactions: !transaction };
    const outcome = direction === 'up' ? await migrator.migrateUp(options) : await migrator.migrateDown(options);
    if (!outcome.error) return outcome.results ?? [];
    if (!isLockTimeout(outcome.error) || attempt >= s.attempts) {
      const cause = describeError(outcome.error);
      const hint = isLockTimeout(outcome.error)
        ? ` (gave up after ${attempt} attempts of ${s.lockTimeoutMs} ms each: another session holds a conflicting lock; see the lock-contention runbook)`
        : '';
      throw new Error(`migration ${info.name} failed: ${cause}${hint}`);
    }
    const delayMs = s.retryDelayMs * 2 ** (attempt - 1);
    s.onRetry({ migration: info.name, attempt, attempts: s.attempts, delayMs });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
// #endregion step

function resultSet(results: MigrationResult[]): MigrationResultSet {
  return { results };
}

async function pending<DB>(db: Kysely<DB>, settings: MigrateSettings): Promise<MigrationInfo[]> {
  return (await createMigrator(db, settings).getMigrations()).filter((m) => !m.executedAt);
}

async function newestApplied<DB>(db: Kysely<DB>, settings: MigrateSettings): Promise<MigrationInfo | undefined> {
  const applied = (await createMigrator(db, settings).getMigrations()).filter((m) => m.executedAt);
  applied.sort((a, b) => a.executedAt!.getTime() - b.executedAt!.getTime() || a.name.localeCompare(b.name));
  return applied.at(-1);
}

// #region migrate-to-latest
/** Applies every pending migration, each in its own transaction unless it opted out. */
export async function migrateToLatest<DB>(db: Kysely<DB>, settings: MigrateSettings = {}): Promise<MigrationResultSet> {
  const results: MigrationResult[] = [];
  for (let next = (await pending(db, settings))[0]; next; next = (await pending(db, settings))[0]) {
    results.push(...(await step(db, settings, next, 'up')));
  }
  return resultSet(results);
}
// #endregion migrate-to-latest

export async function migrateDownOne<DB>(db: Kysely<DB>, settings: MigrateSettings = {}): Promise<MigrationResultSet> {
  const newest = await newestApplied(db, settings);
  return resultSet(newest ? await step(db, settings, newest, 'down') : []);
}

export async function migrateDownAll<DB>(db: Kysely<DB>, settings: MigrateSettings = {}): Promise<MigrationResultSet> {
  const results: MigrationResult[] = [];
  for (let newest = await newestApplied(db, settings); newest; newest = await newestApplied(db, settings)) {
    results.push(...(await step(db, settings, newest, 'down')));
  }
  return resultSet(results);
}
