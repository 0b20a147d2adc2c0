// Vacuum and bloat: dead tuples, last (auto)vacuum and estimated bloat per table;
// the write step runs VACUUM (ANALYZE) on one named table, outside any transaction.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import { UsageError } from '../kit/args.ts';
import type { Session } from '../kit/session.ts';
import { PREFLIGHT_STEPS } from '../kit/preflight.ts';

import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** The same limits PostgresDeadTuplesHigh fires on (monitoring/baselines.ts). */
export const DEAD_RATIO_LIMIT = DATABASE_LIMITS.deadTupleRatio;

export const deadTupleStats: Step = {
  id: 'dead-tuples',
  title: 'List tables by dead tuples, with their last vacuum and estimated bloat',
  why: 'Dead tuples are old row versions that only VACUUM reclaims; until then they cost disk, cache and scan time.',
  sql: `select format('%I.%I', s.schemaname, s.relname) as table_name,
       s.n_live_tup as live, s.n_dead_tup as dead,
       round(s.n_dead_tup::numeric / nullif(s.n_live_tup + s.n_dead_tup, 0), 3)::float8 as dead_ratio,
       pg_table_size(s.relid) as table_bytes,
       (pg_table_size(s.relid) * s.n_dead_tup / nullif(s.n_live_tup + s.n_dead_tup, 0))::bigint as estimated_bloat_bytes,
       s.last_vacuum::text as last_vacuum, s.last_autovacuum::text as last_autovacuum,
       coalesce(c.reloptions::text, '') like '%autovacuum_enabled=false%' as autovacuum_off
from pg_stat_user_tables s
join pg_class c on c.oid = s.relid
order by s.n_dead_tup desc
limit 20`,
  kind: 'read',
  lookFor: 'A high dead_ratio with an old or empty last_autovacuum, or autovacuum_off = true.',
};

export const resolveTable: Step = {
  id: 'resolve-table',
  title: 'Check the named table exists and quote its name',
  why: 'The table name is checked against the catalog and quoted by the server before it goes anywhere near SQL.',
  sql: `select format('%I.%I', n.nspname, c.relname) as qualified
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'm', 'p')
  and n.nspname = coalesce($1, current_schema())
  and c.relname = $2`,
  params: ['schema from --table, or null for the current schema', 'table name from --table'],
  kind: 'read',
  lookFor: 'No row: the table does not exist and nothing runs (exit 2).',
};

export const vacuumTable: Step = {
  id: 'vacuum-analyze',
  title: 'VACUUM (ANALYZE) the table',
  why: 'VACUUM marks dead tuples reusable without blocking reads or writes; ANALYZE refreshes the planner statistics. It cannot run inside a transaction block.',
  sql: `vacuum (analyze) {table}`,
  params: ['{table}: the name step "resolve-table" returned, already quoted by format(\'%I.%I\')'],
  kind: 'write',
  lookFor: 'It finishes without error; the verification re-reads dead tuples for the table.',
};

interface TableRow {
  table_name: string;
  live: number;
  dead: number;
  dead_ratio: number | null;
  table_bytes: number;
  estimated_bloat_bytes: number | null;
  last_vacuum: string | null;
  last_autovacuum: string | null;
  autovacuum_off: boolean;
}

const mb = (bytes: number | null) => `${((bytes ?? 0) / 1_048_576).toFixed(1)} MB`;

export async function diagnoseBloat(session: Session, minDead: number): Promise<Diagnosis> {
  const rows = await session.read<TableRow>(deadTupleStats);
  const bad = rows.filter((row) => row.dead >= minDead && (row.dead_ratio ?? 0) >= DEAD_RATIO_LIMIT);
  const findings: Finding[] = rows.slice(0, 10).map((row) => ({
    level: bad.includes(row) ? 'problem' : 'info',
    text: `${row.table_name}: ${row.dead} dead / ${row.live} live (${(((row.dead_ratio ?? 0) * 100)).toFixed(0)}%), ~${mb(row.estimated_bloat_bytes)} of ${mb(row.table_bytes)} bloat, last vacuum ${row.last_vacuum ?? 'never'}, last autovacuum ${row.last_autovacuum ?? 'never'}${row.autovacuum_off ? ', AUTOVACUUM DISABLED' : ''}`,
  }));
  if (bad.length === 0) findings.push({ level: 'ok', text: `no table has ${minDead}+ dead tuples making up ${DEAD_RATIO_LIMIT * 100}% or more of its rows` });
  const worst = bad[0];
  return {
    healthy: !worst,
    findings,
    summary: worst ? `${bad.length} table(s) need VACUUM; worst is ${worst.table_name} with ${worst.dead} dead tuples` : 'no table needs a manual VACUUM',
    next: worst
      ? `Re-run with --execute --table ${worst.table_name}${worst.autovacuum_off ? `, then re-enable autovacuum: ALTER TABLE ${worst.table_name} RESET (autovacuum_enabled)` : ''}.`
      : 'Nothing to do.',
    data: { tables: rows, needsVacuum: bad.map((row) => row.table_name) },
  };
}

export const vacuumBloat: RunbookDefinition = {
  slug: 'vacuum-bloat',
  title: 'Vacuum and bloat',
  purpose: 'Lists tables by dead tuples with their last vacuum, last autovacuum and estimated bloat. With --execute --table <name>, runs VACUUM (ANALYZE) on that one table.',
  flags: [
    { name: 'table', type: 'identifier', description: 'The table to VACUUM (required with --execute), e.g. orders or public.orders.' },
    { name: 'min-dead', type: 'count', default: String(DATABASE_LIMITS.deadTupleMinimum), description: 'Ignore tables with fewer dead tuples than this.' },
  ],
  steps: [deadTupleStats, resolveTable, ...PREFLIGHT_STEPS, vacuumTable],
  async validate(session, args) {
    if (args.execute && !args.table) throw new UsageError('--execute needs --table <name>: VACUUM runs on one named table');
    if (!args.table) return;
    const [schema, name] = String(args.table).includes('.') ? String(args.table).split('.') : [null, String(args.table)];
    const [found] = await session.read<{ qualified: string }>(resolveTable, [schema, name]);
    if (!found) throw new UsageError(`table "${args.table}" does not exist in database ${session.target.database}`);
    args.qualifiedTable = found.qualified;
  },
  diagnose: (session, args) => diagnoseBloat(session, args['min-dead'] as number),
  async remediate(session, args) {
    const table = args.qualifiedTable as string;
    await session.writeOutsideTransaction(vacuumTable, table);
    return { actions: [`✓ vacuum (analyze) ${table}`] };
  },
};
