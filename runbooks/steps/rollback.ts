// Rollback after a bad release: switch the data layer back to legacy through the
// feature flag, roll back the most recent migration with Kysely's Migrator, and
// prove by counting rows before and after that no data was lost.
import { Kysely, PostgresDialect } from 'kysely';
import { Refusal, type Diagnosis, type Finding, type RemediationResult, type RunbookDefinition, type Step } from '../kit/definition.ts';
import { methodArgument, readMethodStages, switchMethodToLegacy } from './method-stages.ts';
import type { Session } from '../kit/session.ts';
import { PREFLIGHT_STEPS } from '../kit/preflight.ts';
import { STOREFRONT_TABLES, checkTables } from '../kit/visibility.ts';
import { DATA_LAYER_FLAG } from '../../snippets/app/data-layer-switch.ts';
import { DATA_LAYERS } from '../../snippets/app/storefront-repository.ts';
import { migrateDownOne } from '../../snippets/app/migrate.ts';
import { BASELINE_MIGRATIONS, migrations } from '../../snippets/app/migrations/index.ts';

const readFlag: Step = {
  id: 'read-flag',
  title: 'Read which data layer the app uses',
  why: 'The app reads the data_layer row on every request (cached for a second), so this is what production runs now.',
  sql: `select value, updated_at::text as updated_at from feature_flags where key = $1`,
  params: [`'${DATA_LAYER_FLAG}'`],
  kind: 'read',
  lookFor: 'kysely: the new data layer is live; legacy: already rolled back.',
};

const appliedMigrations: Step = {
  id: 'applied-migrations',
  title: 'List the applied schema migrations, newest first',
  why: 'The newest applied migration is the one a rollback undoes; check it is the one the release added.',
  sql: `select name, timestamp::text as applied_at from kysely_migration order by name desc limit 50`,
  kind: 'read',
  lookFor: 'The first row is the migration --execute will roll back.',
};

const DATA_TABLES = ['categories', 'products', 'customers', 'orders', 'order_items'] as const;

const countRows: Step = {
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

const switchToLegacy: Step = {
  id: 'switch-to-legacy',
  title: 'Switch the data layer flag to legacy',
  why: 'The app falls back to the known-good raw-SQL data layer within a second, without a deploy.',
  sql: `insert into feature_flags (key, value) values ($1, $2)
on conflict (key) do update set value = excluded.value, updated_at = now()`,
  params: [`'${DATA_LAYER_FLAG}'`, `'legacy'`],
  kind: 'write',
  lookFor: 'One row written; step "read-flag" then shows legacy.',
};

const migrateDown: Step = {
  id: 'migrate-down',
  title: 'Roll back the most recent migration with Kysely’s Migrator',
  why: 'The Migrator runs the migration’s own down() under its migration lock and a lock_timeout (in a transaction, unless the migration runs outside one, as 0004 does to drop its index concurrently), and removes its row from kysely_migration.',
  sql: `-- migrateDownOne(db) from snippets/app/migrate.ts: Migrator.migrateDown()
-- runs down() of the newest applied migration; the audit log records every statement it ran`,
  kind: 'write',
  lookFor: 'The Migrator reports Success for exactly one migration.',
};

type Counts = Record<string, number>;

async function count(session: Session): Promise<Counts> {
  const rows = await session.read<{ table_name: string; row_count: number }>(countRows, [DATA_TABLES]);
  return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.row_count)]));
}

async function missingTables(session: Session): Promise<string[]> {
  const rows = await session.read<{ name: string; present: boolean }>(checkTables, [STOREFRONT_TABLES]);
  return rows.filter((row) => !row.present).map((row) => row.name);
}

async function diagnose(session: Session): Promise<Diagnosis> {
  const missing = await missingTables(session);
  const [flag] = missing.includes('feature_flags')
    ? []
    : await session.read<{ value: string; updated_at: string }>(readFlag, [DATA_LAYER_FLAG]);
  const applied = missing.includes('kysely_migration') ? [] : await session.read<{ name: string; applied_at: string }>(appliedMigrations);
  const counts = await count(session);
  const known = Object.keys(migrations).sort();
  const unknown = applied.filter((row) => !known.includes(row.name));
  const pending = known.filter((name) => !applied.some((row) => row.name === name));
  const validFlag = flag && (DATA_LAYERS as readonly string[]).includes(flag.value);
  const findings: Finding[] = [
    { level: validFlag ? 'ok' : 'problem', text: `data_layer = ${flag?.value ?? '(missing)'}${flag ? ` (set ${flag.updated_at})` : ''}` },
    ...applied.slice(0, 10).map((row, i): Finding => ({
      level: 'info',
      text: `${i === 0 ? 'newest ' : '       '}migration ${row.name} applied ${row.applied_at}`,
    })),
    {
      level: 'info',
      text: `rows: ${Object.entries(counts ?? {})
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')}`,
    },
  ];
  if (pending.length) findings.push({ level: 'info', text: `not applied (rolled back or not yet released): ${pending.join(', ')}` });
  if (unknown.length)
    findings.push({
      level: 'problem',
      text: `applied but unknown to this code: ${unknown.map((r) => r.name).join(', ')} — roll back with the release that added them`,
    });
  if (missing.length)
    findings.push({
      level: 'problem',
      text: `table(s) missing: ${missing.join(', ')} — a migration renamed or dropped them; requests that read them fail`,
    });
  const healthy = Boolean(validFlag) && unknown.length === 0 && missing.length === 0;
  return {
    healthy,
    findings,
    summary: healthy
      ? `data layer ${flag!.value}; newest migration ${applied[0]?.name ?? '(none)'}`
      : missing.length && validFlag
        ? `the Storefront schema is broken: missing ${missing.join(', ')}`
        : !validFlag
          ? `the data_layer flag is ${flag ? `"${flag.value}", not one of ${DATA_LAYERS.join('/')}` : 'missing'} (the app falls back to legacy)`
          : `migrations this code cannot roll back are applied: ${unknown.map((r) => r.name).join(', ')}`,
    next:
      flag?.value === 'legacy'
        ? 'Already on legacy. Watch the error rate; re-apply the migration and flip the flag back once the release is fixed.'
        : `If errors started with the release, re-run with --execute to switch to legacy and roll back ${applied[0]?.name ?? 'the newest migration'}, or with --execute --method <name> to roll back one repository method.`,
    data: { flag: flag ?? null, applied, pending, unknown: unknown.map((r) => r.name), counts, missingTables: missing },
  };
}

export const rollback: RunbookDefinition = {
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
  diagnose: (session) => diagnose(session),
  async remediate(session, args, diagnosis) {
    if (args.method !== undefined) return rollBackOneMethod(session, String(args.method), diagnosis);
    const actions: string[] = [];
    const newest = (diagnosis.data.applied as { name: string }[])[0]?.name;
    const expected = args.migration as string | undefined;
    const alreadyLegacy = (diagnosis.data.flag as { value: string } | null)?.value === 'legacy';
    let rollSchema = !args['keep-schema'];
    if (rollSchema && expected !== undefined && expected !== newest) {
      throw new Refusal(`--migration ${expected} is not the newest applied migration (${newest ?? 'none'}); nothing was changed`);
    }
    if (rollSchema && alreadyLegacy && expected === undefined) {
      // A re-run must not peel off one more migration each time.
      rollSchema = false;
      actions.push(
        `data_layer already reads legacy, so the schema was left as it is; to roll back ${newest} as well, re-run with --migration ${newest}`,
      );
    }
    if (rollSchema && newest && BASELINE_MIGRATIONS.includes(newest)) {
      throw new Refusal(
        `the newest applied migration ${newest} is part of the baseline schema the legacy layer and the flag need; refusing to roll it back (nothing was changed)`,
      );
    }
    if ((diagnosis.data.missingTables as string[]).includes('feature_flags')) {
      throw new Refusal(
        'the feature_flags table is missing, so the data layer cannot be switched; restore it (migration 0003) first. Nothing was changed',
      );
    }
    // The flag first: it is what stops the errors, and it must not wait on anything that a broken table can fail.
    await session.write(switchToLegacy, [DATA_LAYER_FLAG, 'legacy']);
    actions.push('✓ data_layer switched to legacy');
    // Counted right before the schema change, so live traffic in between is not mistaken for loss.
    const before = await count(session);
    if (rollSchema) {
      const target = newest;
      const statements: string[] = [];
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({ pool: session.asPool() }),
        log: (event) => {
          if (event.level === 'query') statements.push(event.query.sql);
        },
      });
      try {
        const outcome = await migrateDownOne(db);
        const done = outcome.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        // Asked to roll back and nothing was: not done, whatever else went well.
        session.audit(
          migrateDown,
          statements.join(';\n'),
          done.length ? `ok: rolled back ${done.join(', ')}` : 'not done: the Migrator rolled back nothing',
          done.length > 0,
        );
        actions.push(done.length ? `✓ rolled back migration ${done.join(', ')}` : `no migration to roll back (expected ${target})`);
      } catch (error) {
        session.audit(migrateDown, statements.join(';\n'), `failed: ${(error as Error).message}`);
        throw error;
      }
    }
    const after = await count(session);
    // Rows may arrive while the runbook works (the app keeps taking orders); only a drop is a loss.
    const lost = Object.keys(before).filter((table) => (after[table] ?? 0) < (before[table] ?? 0));
    actions.push(
      lost.length
        ? `✗ rows lost: ${lost.map((t) => `${t} ${before[t]} → ${after[t] ?? 'missing'}`).join(', ')}`
        : `✓ no rows lost: ${Object.entries(after)
            .map(([t, n]) => `${t} ${before[t]} → ${n}`)
            .join(', ')}`,
    );
    const [flag] = await session.read<{ value: string }>(readFlag, [DATA_LAYER_FLAG]);
    actions.push(flag?.value === 'legacy' ? '✓ the app now reads data_layer = legacy' : `✗ data_layer reads ${flag?.value}`);
    return { actions, verified: lost.length === 0 && flag?.value === 'legacy' };
  },
};

/** `--method <name>`: only that method's stage row goes back to legacy; it is newer than the global row, so it wins. */
async function rollBackOneMethod(session: Session, value: string, diagnosis: Diagnosis): Promise<RemediationResult> {
  const { method, flag } = methodArgument(value);
  if ((diagnosis.data.missingTables as string[]).includes('feature_flags')) {
    throw new Refusal(
      'the feature_flags table is missing, so no method can be switched; restore it (migration 0003) first. Nothing was changed',
    );
  }
  await session.write(switchMethodToLegacy, [flag]);
  const stages = await session.read<{ key: string; value: string }>(readMethodStages, [DATA_LAYER_FLAG, `${DATA_LAYER_FLAG}:%`]);
  const now = stages.find((row) => row.key === flag)?.value;
  return {
    actions: [
      now === 'legacy'
        ? `✓ ${method} switched to legacy; the other methods and the schema are unchanged`
        : `✗ ${flag} reads ${now ?? 'nothing'}`,
    ],
    verified: now === 'legacy',
  };
}
