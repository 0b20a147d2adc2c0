// Rollback, the logic: read the flag, the applied migrations and the row counts and, with
// --execute, switch to legacy, roll back the newest migration through Kysely's Migrator and
// prove no rows were lost. The steps and flags are runbooks/steps/rollback.ts.
import { Kysely, PostgresDialect } from 'kysely';
import { Refusal, defineRunbook, type Diagnosis, type Finding, type RemediationResult } from '../kit/definition.ts';
import { methodArgument } from './method-stages.ts';
import { readMethodStages, switchMethodToLegacy } from '../steps/method-stages.ts';
import type { Session } from '../kit/session.ts';
import { STOREFRONT_TABLES, checkTables } from '../kit/visibility.ts';
import { DATA_LAYERS, DATA_LAYER_FLAG } from '../../snippets/app/storefront-repository.ts';
import { migrateDownOne } from '../../snippets/app/migrate.ts';
import { BASELINE_MIGRATIONS, migrations } from '../../snippets/app/migrations/index.ts';
import { DATA_TABLES, appliedMigrations, countRows, migrateDown, readFlag, rollback as data, switchToLegacy } from '../steps/rollback.ts';

type Counts = Record<string, number>;

interface Flag {
  value: string;
  updated_at: string;
}

interface Applied {
  name: string;
  applied_at: string;
}

async function count(session: Session): Promise<Counts> {
  const rows = await session.read<{ table_name: string; row_count: number }>(countRows, [DATA_TABLES]);
  return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.row_count)]));
}

async function missingTables(session: Session): Promise<string[]> {
  const rows = await session.read<{ name: string; present: boolean }>(checkTables, [STOREFRONT_TABLES]);
  return rows.filter((row) => !row.present).map((row) => row.name);
}

/** The diagnosis's data (--json `data`); remediation reads the newest migration, the flag and the missing tables. */
interface RollbackData {
  flag: Flag | null;
  applied: Applied[];
  pending: string[];
  unknown: string[];
  counts: Counts;
  missingTables: string[];
}

async function diagnose(session: Session): Promise<Diagnosis<RollbackData>> {
  const missing = await missingTables(session);
  const [flag] = missing.includes('feature_flags') ? [] : await session.read<Flag>(readFlag, [DATA_LAYER_FLAG]);
  const applied = missing.includes('kysely_migration') ? [] : await session.read<Applied>(appliedMigrations);
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

export const rollback = defineRunbook(data, {
  diagnose: (session) => diagnose(session),
  async remediate(session, args, diagnosis) {
    if (args.method !== undefined) return rollBackOneMethod(session, args.method, diagnosis);
    const actions: string[] = [];
    const newest = diagnosis.data.applied[0]?.name;
    const expected = args.migration;
    const alreadyLegacy = diagnosis.data.flag?.value === 'legacy';
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
    if (diagnosis.data.missingTables.includes('feature_flags')) {
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
});

/** `--method <name>`: only that method's stage row goes back to legacy; it is newer than the global row, so it wins. */
async function rollBackOneMethod(session: Session, value: string, diagnosis: Diagnosis<RollbackData>): Promise<RemediationResult> {
  const { method, flag } = methodArgument(value);
  if (diagnosis.data.missingTables.includes('feature_flags')) {
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
