// Rollback after a bad release: switch the data layer back to legacy through the
// feature flag, roll back the most recent migration with Kysely's Migrator, and
// prove by counting rows before and after that no data was lost.
// The runbook's data (what the page shows and the CLI runs); its logic, and the Migrator,
// are in runbooks/logic/rollback.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { readMethodStages, switchMethodToLegacy } from './method-stages.ts';
import { PREFLIGHT_STEPS } from '../kit/preflight.ts';
import { checkTables } from '../kit/visibility.ts';
import { DATA_LAYER_FLAG } from '../../snippets/app/storefront-repository.ts';

export const readFlag: Step = {
  id: 'read-flag',
  title: 'Read which data layer the app uses',
  why: 'The app reads the data_layer row on every request (cached for a second), so this is what production runs now.',
  sql: `select value, updated_at::text as updated_at from feature_flags where key = $1`,
  params: [`'${DATA_LAYER_FLAG}'`],
  kind: 'read',
  lookFor: 'kysely: the new data layer is live; legacy: already rolled back.',
};

export const appliedMigrations: Step = {
  id: 'applied-migrations',
  title: 'List the applied schema migrations, newest first',
  why: 'The newest applied migration is the one a rollback undoes; check it is the one the release added.',
  sql: `select name, timestamp::text as applied_at from kysely_migration order by name desc limit 50`,
  kind: 'read',
  lookFor: 'The first row is the migration --execute will roll back.',
};

export const DATA_TABLES = ['categories', 'products', 'customers', 'orders', 'order_items'] as const;

export const countRows: Step = {
  id: 'count-rows',
  title: 'Count the rows of every Storefront table that exists',
  why: 'Counting before and after proves the rollback lost no data. A table a bad migration renamed or dropped is listed as missing instead of stopping the rollback; format(%I) quotes each name on the server.',
  sql: `select t.name as table_name,
       (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', t.name), false, true, '')))[1]::text::bigint as row_count
from unnest($1::text[]) as t(name)
where to_regclass(t.name) is not null`,
  params: [`the Storefront tables: ${DATA_TABLES.join(', ')}`],
  kind: 'read',
  lookFor: 'The same numbers before and after the rollback; a table missing from the result is missing from the database.',
};

export const switchToLegacy: Step = {
  id: 'switch-to-legacy',
  title: 'Switch the data layer flag to legacy',
  why: 'The app falls back to the known-good raw-SQL data layer within a second, without a deploy.',
  sql: `insert into feature_flags (key, value) values ($1, $2)
on conflict (key) do update set value = excluded.value, updated_at = now()`,
  params: [`'${DATA_LAYER_FLAG}'`, `'legacy'`],
  kind: 'write',
  lookFor: 'One row written; step "read-flag" then shows legacy.',
};

export const migrateDown: Step = {
  id: 'migrate-down',
  title: 'Roll back the most recent migration with Kysely’s Migrator',
  why: 'The Migrator runs the migration’s own down() under its migration lock and a lock_timeout (in a transaction, unless the migration runs outside one, as 0004 does to drop its index concurrently), and removes its row from kysely_migration.',
  sql: `-- migrateDownOne(db) from snippets/app/migrate.ts: Migrator.migrateDown()
-- runs down() of the newest applied migration; the audit log records every statement it ran`,
  kind: 'write',
  lookFor: 'The Migrator reports Success for exactly one migration.',
};

export const rollback = defineRunbookData({
  slug: 'rollback',
  title: 'Roll back a release',
  purpose:
    'Shows which data layer the app uses, which migrations are applied and how many rows each table has. With --execute, switches the data_layer flag to legacy, rolls back the newest migration through Kysely’s Migrator (unless --keep-schema), and proves no rows were lost.',
  flags: [
    { name: 'keep-schema', type: 'boolean', description: 'Only switch the flag; leave the migrations as they are.' },
    {
      name: 'method',
      type: 'string',
      description: 'Roll back one repository method (e.g. listProducts) to legacy and leave the other methods and the schema as they are.',
    },
    {
      name: 'migration',
      type: 'string',
      description:
        'The migration you expect to roll back. Required when the flag already reads legacy (a re-run); the run refuses unless it is the newest applied one.',
    },
  ],
  steps: [
    checkTables,
    readFlag,
    appliedMigrations,
    countRows,
    ...PREFLIGHT_STEPS,
    switchToLegacy,
    migrateDown,
    readMethodStages,
    switchMethodToLegacy,
  ],
  actsWhenHealthy: true,
  needs: ['storefront'],
});
