// Vacuum and bloat: dead tuples, last (auto)vacuum and estimated bloat per table;
// the write step runs VACUUM (ANALYZE) on one named table, outside any transaction.
import { Refusal, type Diagnosis, type Finding, type RunbookDefinition, type Step } from '../kit/definition.ts';
import { UsageError } from '../kit/args.ts';
import type { Session } from '../kit/session.ts';
import { PREFLIGHT_STEPS } from '../kit/preflight.ts';
import { formatSeconds, truncate } from '../kit/output.ts';

import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** The same limits PostgresDeadTuplesHigh fires on (monitoring/baselines.ts). */
const DEAD_RATIO_LIMIT = DATABASE_LIMITS.deadTupleRatio;

const deadTupleStats: Step = {
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

const snapshotHolders: Step = {
  id: 'snapshot-holders',
  title: 'Find the oldest snapshots that hold dead tuples back',
  why: 'VACUUM may only remove a row version that no open snapshot can still see: one old transaction (or a prepared transaction, or a replication slot) keeps every newer dead tuple in place.',
  sql: `select holder, pid, role, application_name, state, xact_seconds, xmin_age, query from (
  select format('PID %s', pid) as holder, pid, usename::text as role, application_name, state,
         extract(epoch from now() - xact_start)::float8 as xact_seconds,
         age(backend_xmin) as xmin_age, left(query, 200) as query
  from pg_stat_activity
  where backend_xmin is not null and datname = current_database() and pid <> pg_backend_pid()
  union all
  select format('prepared transaction %L', gid), null, owner::text, null, 'prepared',
         extract(epoch from now() - prepared)::float8, age(transaction), null
  from pg_prepared_xacts
  where database = current_database()
  union all
  select format('replication slot %L', slot_name), active_pid, null, null, case when active then 'active' else 'inactive' end,
         null, greatest(age(xmin), age(catalog_xmin)), null
  from pg_replication_slots
  where xmin is not null or catalog_xmin is not null
) as holders
order by xmin_age desc nulls last
limit 5`,
  kind: 'read',
  lookFor:
    'The first row with a large xmin_age and an old transaction (xact_seconds) is what holds cleanup back; state "idle in transaction" means it does nothing else.',
};

const resolveTable: Step = {
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

const canVacuum: Step = {
  id: 'can-vacuum',
  title: 'Check this role may vacuum the table',
  why: 'PostgreSQL does not fail a VACUUM by a role that may not run it: it skips the table with a warning. Who may: the table owner, the database owner, a superuser, and on PostgreSQL 17+ a role with pg_maintain or the MAINTAIN privilege.',
  sql: `select pg_get_userbyid(c.relowner) as table_owner, pg_get_userbyid(d.datdba) as database_owner,
       pg_has_role(current_user, c.relowner, 'usage')
       or pg_has_role(current_user, d.datdba, 'usage')
       or case when current_setting('server_version_num')::int >= 170000
               then pg_has_role(current_user, 'pg_maintain', 'usage') or has_table_privilege(c.oid, 'MAINTAIN')
               else false end as allowed
from pg_class c, pg_database d
where c.oid = $1::regclass
  and d.datname = current_database()`,
  params: ['the table name step "resolve-table" returned'],
  kind: 'read',
  lookFor: 'allowed = false: nothing runs; the report names the owner and the grant that would allow it.',
};

const deadAfterVacuum: Step = {
  id: 'dead-after-vacuum',
  title: 'Re-read the dead tuples of the vacuumed table',
  why: 'A VACUUM that finished may still have removed nothing: dead tuples that an open snapshot can see stay.',
  sql: `select n_live_tup as live, n_dead_tup as dead from pg_stat_user_tables where relid = $1::regclass`,
  params: ['the vacuumed table'],
  kind: 'read',
  lookFor: 'dead still high: name the snapshot holder (step "snapshot-holders") and end it before vacuuming again.',
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

interface HolderRow {
  holder: string;
  pid: number | null;
  role: string | null;
  application_name: string | null;
  state: string | null;
  xact_seconds: number | null;
  xmin_age: number | null;
  query: string | null;
}

const mb = (bytes: number | null) => `${((bytes ?? 0) / 1_048_576).toFixed(1)} MB`;

function describeHolder(holder: HolderRow): string {
  const who = [holder.role, holder.application_name, holder.state].filter(Boolean).join(', ');
  return `${holder.holder}${who ? ` (${who})` : ''}${holder.xact_seconds !== null ? `, open ${formatSeconds(holder.xact_seconds)}` : ''}, snapshot ${holder.xmin_age ?? '?'} transactions old${holder.query ? `: ${truncate(holder.query, 80)}` : ''}`;
}

/** Snapshots older than the limit: slots and prepared transactions always count, they never end by themselves. */
async function oldSnapshots(session: Session, olderThanMs: number): Promise<HolderRow[]> {
  const rows = await session.read<HolderRow>(snapshotHolders);
  return rows.filter((row) => row.pid === null || row.holder.startsWith('replication') || (row.xact_seconds ?? 0) * 1000 >= olderThanMs);
}

async function diagnoseBloat(session: Session, minDead: number, snapshotOlderThanMs = 60_000): Promise<Diagnosis> {
  const rows = await session.read<TableRow>(deadTupleStats);
  const bad = rows.filter((row) => row.dead >= minDead && (row.dead_ratio ?? 0) >= DEAD_RATIO_LIMIT);
  const holders = await oldSnapshots(session, snapshotOlderThanMs);
  const findings: Finding[] = rows.slice(0, 10).map((row) => ({
    level: bad.includes(row) ? 'problem' : 'info',
    text: `${row.table_name}: ${row.dead} dead / ${row.live} live (${((row.dead_ratio ?? 0) * 100).toFixed(0)}%), ~${mb(row.estimated_bloat_bytes)} of ${mb(row.table_bytes)} bloat, last vacuum ${row.last_vacuum ?? 'never'}, last autovacuum ${row.last_autovacuum ?? 'never'}${row.autovacuum_off ? ', AUTOVACUUM DISABLED' : ''}`,
  }));
  if (bad.length === 0)
    findings.push({ level: 'ok', text: `no table has ${minDead}+ dead tuples making up ${DEAD_RATIO_LIMIT * 100}% or more of its rows` });
  for (const holder of holders) {
    findings.push({
      level: bad.length ? 'problem' : 'info',
      text: `${describeHolder(holder)} — VACUUM cannot remove row versions that died after its snapshot began`,
    });
  }
  if (holders.length === 0)
    findings.push({ level: 'ok', text: `no snapshot older than ${snapshotOlderThanMs / 1000}s holds dead tuples back` });
  const worst = bad[0];
  const holder = holders[0];
  return {
    healthy: !worst,
    findings,
    summary: worst
      ? `${bad.length} table(s) need VACUUM; worst is ${worst.table_name} with ${worst.dead} dead tuples${holder ? `; ${holder.holder} holds cleanup back` : ''}`
      : 'no table needs a manual VACUUM',
    next: worst
      ? holder
        ? `First end ${holder.holder} (ask its owner to commit or roll back, or use the connection-saturation / lock-contention runbook): until it ends, VACUUM cannot remove these tuples. Then re-run with --execute --table ${worst.table_name}.`
        : `Re-run with --execute --table ${worst.table_name}${worst.autovacuum_off ? `, then re-enable autovacuum: ALTER TABLE ${worst.table_name} RESET (autovacuum_enabled)` : ''}. Only the table owner, the database owner or a superuser may vacuum it (on PostgreSQL 17+ also pg_maintain).`
      : 'Nothing to do.',
    data: { tables: rows, needsVacuum: bad.map((row) => row.table_name), snapshotHolders: holders },
  };
}

export const vacuumBloat: RunbookDefinition = {
  slug: 'vacuum-bloat',
  title: 'Vacuum and bloat',
  purpose:
    'Lists tables by dead tuples with their last vacuum, last autovacuum and estimated bloat. With --execute --table <name>, runs VACUUM (ANALYZE) on that one table.',
  flags: [
    { name: 'table', type: 'identifier', description: 'The table to VACUUM (required with --execute), e.g. orders or public.orders.' },
    {
      name: 'min-dead',
      type: 'count',
      default: String(DATABASE_LIMITS.deadTupleMinimum),
      description: 'Ignore tables with fewer dead tuples than this.',
    },
    {
      name: 'snapshot-older-than',
      type: 'duration',
      default: '60s',
      description: 'Name a session whose snapshot is this old as holding dead tuples back.',
    },
  ],
  steps: [deadTupleStats, snapshotHolders, resolveTable, ...PREFLIGHT_STEPS, canVacuum, vacuumTable, deadAfterVacuum],
  needs: ['other-sessions'],
  async validate(session, args) {
    if (args.execute && !args.table) throw new UsageError('--execute needs --table <name>: VACUUM runs on one named table');
    if (!args.table) return;
    const [schema, name] = String(args.table).includes('.') ? String(args.table).split('.') : [null, String(args.table)];
    const [found] = await session.read<{ qualified: string }>(resolveTable, [schema, name]);
    if (!found) throw new UsageError(`table "${args.table}" does not exist in database ${session.target.database}`);
    args.qualifiedTable = found.qualified;
  },
  diagnose: (session, args) => diagnoseBloat(session, args['min-dead'] as number, args['snapshot-older-than'] as number),
  async remediate(session, args) {
    const table = args.qualifiedTable as string;
    const minDead = args['min-dead'] as number;
    const [who] = await session.read<{ table_owner: string; database_owner: string; allowed: boolean }>(canVacuum, [table]);
    if (!who?.allowed) {
      const reason = `role "${session.target.role}" may not vacuum ${table}: only its owner (${who?.table_owner}), the database owner (${who?.database_owner}) or a superuser may${session.serverVersion >= 170000 ? `, or a role granted pg_maintain or MAINTAIN on the table (GRANT MAINTAIN ON ${table} TO ${session.target.role};)` : ' (PostgreSQL 17+ adds pg_maintain)'}; pg_monitor and pg_signal_backend do not allow it. Nothing was vacuumed`;
      session.audit(vacuumTable, vacuumTable.sql.replace('{table}', table), `refused before running: ${reason}`, false);
      throw new Refusal(reason);
    }
    const done = await session.writeOutsideTransaction(vacuumTable, table, async () => {
      // Read on the same connection, right after VACUUM reported its counts.
      const { rows } = await session.client.query<{ live: number; dead: number }>(deadAfterVacuum.sql, [table]);
      const after = rows[0];
      if (!after || after.dead < minDead || after.dead / Math.max(1, after.live + after.dead) < DEAD_RATIO_LIMIT) return undefined;
      const holder = (await oldSnapshots(session, 0))[0];
      return `VACUUM finished but ${after.dead} dead tuples remain in ${table}${holder ? `; ${describeHolder(holder)} holds them back` : ''}`;
    });
    return {
      actions: [
        done
          ? `✓ vacuum (analyze) ${table}: dead tuples removed`
          : `✗ vacuum (analyze) ${table} did not clean the table (see "not done" below)`,
      ],
    };
  },
};
