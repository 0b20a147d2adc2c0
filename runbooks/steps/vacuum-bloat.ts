// Vacuum and bloat: dead tuples, last (auto)vacuum and estimated bloat per table;
// the write step runs VACUUM (ANALYZE) on one named table, outside any transaction.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/vacuum-bloat.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PREFLIGHT_STEPS } from '../kit/preflight.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

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

export const snapshotHolders: Step = {
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

export const canVacuum: Step = {
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

export const deadAfterVacuum: Step = {
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

export const vacuumBloat = defineRunbookData({
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
});
