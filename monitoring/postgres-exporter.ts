// The custom queries postgres_exporter needs for the handbook's alerts. Debian's
// prometheus-postgres-exporter 0.11 exports pg_stat_database, pg_stat_activity,
// pg_locks counts, pg_settings and pg_stat_archiver on its own, but not per-table
// dead tuples, not lock waits and not the size of pg_wal. generate.ts writes these
// to monitoring/postgres-exporter/queries.yml; deploy it with
//   ARGS="--extend.query-path=/etc/prometheus/postgres-exporter-queries.yml"
// in /etc/default/prometheus-postgres-exporter (the monitoring page says how).
// test/monitoring/exporter-metrics.test.ts runs the real exporter with this file and
// checks that every metric an alert rule reads is there.

interface ExporterColumn {
  name: string;
  usage: 'LABEL' | 'GAUGE' | 'COUNTER';
  description: string;
}

export interface ExporterQuery {
  /** Metric prefix: each GAUGE/COUNTER column becomes <name>_<column>. */
  name: string;
  /** Why the default exporter is not enough; a comment in the generated file. */
  why: string;
  sql: string;
  columns: ExporterColumn[];
}

// #region exporter-queries
export const EXPORTER_QUERIES: readonly ExporterQuery[] = [
  {
    name: 'pg_stat_user_tables',
    why: 'PostgresDeadTuplesHigh. Runs in the database named by DATA_SOURCE_NAME (point it at the application database).',
    sql: `select current_database() as datname, schemaname, relname, n_live_tup, n_dead_tup
from pg_stat_user_tables`,
    columns: [
      { name: 'datname', usage: 'LABEL', description: 'Database the table lives in' },
      { name: 'schemaname', usage: 'LABEL', description: 'Schema of the table' },
      { name: 'relname', usage: 'LABEL', description: 'Name of the table' },
      { name: 'n_live_tup', usage: 'GAUGE', description: 'Estimated number of live rows' },
      { name: 'n_dead_tup', usage: 'GAUGE', description: 'Estimated number of dead rows (removed by VACUUM)' },
    ],
  },
  {
    name: 'pg_lock_waits',
    why: 'PostgresLockWaits. pg_locks_count counts held locks of every mode; this counts sessions queued for one, in every database.',
    // Row-lock waits are on a transaction id, whose pg_locks row has no database:
    // the waiting session's database comes from pg_stat_activity instead.
    sql: `select d.datname, count(w.pid) as sessions,
       coalesce(max(extract(epoch from now() - w.waitstart)), 0)::float8 as oldest_seconds
from pg_database d
left join (select a.datname, l.pid, l.waitstart
           from pg_locks l join pg_stat_activity a on a.pid = l.pid
           where not l.granted) w on w.datname = d.datname
where not d.datistemplate
group by d.datname`,
    columns: [
      { name: 'datname', usage: 'LABEL', description: 'Database of the waiting sessions' },
      { name: 'sessions', usage: 'GAUGE', description: 'Sessions waiting for a lock now' },
      {
        name: 'oldest_seconds',
        usage: 'GAUGE',
        description: 'How long the longest-waiting session has waited, in seconds (0 when none waits)',
      },
    ],
  },
  {
    name: 'pg_wal_directory',
    why: 'PostgresWalDirectoryLarge. Needs pg_monitor (pg_ls_waldir).',
    sql: `select coalesce(sum(size), 0)::float8 as bytes, count(*) as segments from pg_ls_waldir()`,
    columns: [
      { name: 'bytes', usage: 'GAUGE', description: 'Size of pg_wal in bytes' },
      { name: 'segments', usage: 'GAUGE', description: 'Files in pg_wal' },
    ],
  },
  {
    name: 'pg_replication_slot',
    why: 'PostgresReplicationSlotRetainingWal. How much WAL each slot keeps on disk, and whether anyone reads from it.',
    sql: `select slot_name, slot_type, active::int as active,
       coalesce(pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end, restart_lsn), 0)::float8 as retained_bytes
from pg_replication_slots`,
    columns: [
      { name: 'slot_name', usage: 'LABEL', description: 'Replication slot' },
      { name: 'slot_type', usage: 'LABEL', description: 'physical or logical' },
      { name: 'active', usage: 'GAUGE', description: '1 while a client streams from the slot' },
      { name: 'retained_bytes', usage: 'GAUGE', description: 'WAL the slot keeps on disk, in bytes' },
    ],
  },
];
// #endregion exporter-queries

/** Metric names the queries file adds, e.g. pg_lock_waits_oldest_seconds. */
export function customMetricNames(): string[] {
  return EXPORTER_QUERIES.flatMap((query) =>
    query.columns.filter((column) => column.usage !== 'LABEL').map((column) => `${query.name}_${column.name}`),
  );
}
