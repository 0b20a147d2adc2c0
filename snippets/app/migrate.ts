import type { Kysely } from 'kysely';
import { Migrator, NO_MIGRATIONS, type MigrationResultSet } from 'kysely/migration';
import { migrationProvider } from './migrations/index.ts';

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Runs a Migrator call and turns its `{ error }` result into a thrown error. */
async function check(run: Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  const outcome = await run;
  if (outcome.error) {
    const failed = outcome.results?.find((result) => result.status === 'Error');
    const cause = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
  return outcome;
}

export function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(createMigrator(db).migrateToLatest());
}

export function migrateDownOne(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(createMigrator(db).migrateDown());
}

export function migrateDownAll(db: Kysely<any>): Promise<MigrationResultSet> {
  return check(createMigrator(db).migrateTo(NO_MIGRATIONS));
}
