// PostgreSQL alerts on its statistics counters: the buffer-cache hit ratio and deadlocks
// (pg_stat_database), and dead tuples (pg_stat_user_tables).
import { DATABASE_LIMITS as L } from '../baselines.ts';
import { DB_INSTANCE, REAL_DB, db, timeScale, type AlertRule } from './shared.ts';

/** The statistics alerts at `scale` (see alertRules in ../alert-rules.ts). */
export function postgresStatisticsAlerts(scale: number): AlertRule[] {
  const { m } = timeScale(scale);
  const blksHit = `sum by (instance, datname) (rate(pg_stat_database_blks_hit{${REAL_DB}}[${m(5)}]))`;
  const blksRead = `sum by (instance, datname) (rate(pg_stat_database_blks_read{${REAL_DB}}[${m(5)}]))`;
  return [
    {
      name: 'PostgresLowBufferCacheHitRatio',
      group: 'postgresql',
      severity: 'SEV4',
      // An idle database (template1 after a CREATE DATABASE, an admin database) reads a few
      // blocks from disk and shows a ratio of 10 %: only databases doing real work are judged.
      expr: `${blksHit} / (${blksHit} + ${blksRead}) < ${L.bufferCacheHitRatio} and (${blksHit} + ${blksRead}) > ${L.bufferCacheMinBlocksPerSecond}`,
      panel: {
        title: `Buffer-cache hit ratio (alert below ${L.bufferCacheHitRatio * 100} %)`,
        expr: `${blksHit} / (${blksHit} + ${blksRead})`,
        legend: '{{datname}}',
        unit: 'percentunit',
        threshold: L.bufferCacheHitRatio,
        healthyWhen: 'above',
        meaning: 'Share of block reads served from shared buffers rather than the operating system or disk.',
      },
      for: m(30),
      summary: 'Buffer-cache hit ratio of {{ $labels.datname }} on {{ $labels.instance }} is low',
      description:
        `Fewer than ${L.bufferCacheHitRatio * 100} % of block reads in {{ $labels.datname }} were served from shared buffers for 30 minutes, so queries wait on disk. ` +
        'Usually a new query scanning a large table, or a working set that outgrew shared_buffers. See the cache-hit-rate runbook.',
      runbook: '/runbooks/cache-hit-rate/',
      sqlCannotSee:
        'the last 5 minutes: pg_stat_database counts block reads since its last stats reset, so the runbook samples it over --window instead',
      cases: [
        {
          name: 'fires when 80 % of 1000 block reads a second hit shared buffers',
          evalMinutes: 45,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
          series: [
            { series: `pg_stat_database_blks_hit{${db},datid="16384",datname="storefront"}`, values: '0+48000x60' },
            { series: `pg_stat_database_blks_read{${db},datid="16384",datname="storefront"}`, values: '0+12000x60' },
          ],
        },
        {
          name: 'stays silent at 99 %, and on an idle database whose counters do not move',
          evalMinutes: 45,
          series: [
            { series: `pg_stat_database_blks_hit{${db},datid="16384",datname="storefront"}`, values: '0+59400x60' },
            { series: `pg_stat_database_blks_read{${db},datid="16384",datname="storefront"}`, values: '0+600x60' },
            { series: `pg_stat_database_blks_hit{${db},datid="5",datname="postgres"}`, values: '100x60' },
            { series: `pg_stat_database_blks_read{${db},datid="5",datname="postgres"}`, values: '900x60' },
          ],
        },
        {
          name: 'stays silent on template1 and on a database reading a few blocks a second',
          evalMinutes: 45,
          series: [
            { series: `pg_stat_database_blks_hit{${db},datid="1",datname="template1"}`, values: '0+6000x60' },
            { series: `pg_stat_database_blks_read{${db},datid="1",datname="template1"}`, values: '0+60000x60' },
            { series: `pg_stat_database_blks_hit{${db},datid="5",datname="postgres"}`, values: '0+60x60' },
            { series: `pg_stat_database_blks_read{${db},datid="5",datname="postgres"}`, values: '0+600x60' },
          ],
        },
      ],
    },
    {
      name: 'PostgresDeadlocksIncreasing',
      group: 'postgresql',
      severity: 'SEV3',
      // pg_stat_database_deadlocks is a counter since the last stats reset: increase() of it,
      // never rate() of a gauge or a comparison of its absolute value.
      expr: `sum by (instance, datname) (increase(pg_stat_database_deadlocks{${REAL_DB}}[${m(10)}])) > 0`,
      panel: {
        title: 'Deadlocks in the last 10 minutes (alert above 0)',
        expr: `sum by (instance, datname) (increase(pg_stat_database_deadlocks{${REAL_DB}}[${m(10)}]))`,
        legend: '{{datname}}',
        unit: 'short',
        threshold: 0,
        healthyWhen: 'below',
        meaning: 'Transactions PostgreSQL aborted to break a deadlock, per database, over a sliding 10-minute window.',
      },
      for: m(0),
      summary: 'Deadlocks in {{ $labels.datname }} on {{ $labels.instance }}',
      description:
        'PostgreSQL aborted at least one transaction in {{ $labels.datname }} in the last 10 minutes to break a deadlock; the application saw an error (SQLSTATE 40P01). ' +
        'The error-spike runbook shows how to find the two statements in the server log.',
      runbook: '/runbooks/error-spike/',
      sqlCannotSee:
        'when a deadlock happened: pg_stat_database.deadlocks counts since the last stats reset, the alert counts the last 10 minutes',
      cases: [
        {
          name: 'fires when the deadlock counter goes up',
          evalMinutes: 8,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
          series: [{ series: `pg_stat_database_deadlocks{${db},datid="16384",datname="storefront"}`, values: '3x5 4x10' }],
        },
        {
          name: 'stays silent when the counter is high but flat',
          evalMinutes: 8,
          series: [{ series: `pg_stat_database_deadlocks{${db},datid="16384",datname="storefront"}`, values: '7x15' }],
        },
      ],
    },
    {
      name: 'PostgresDeadTuplesHigh',
      group: 'postgresql',
      severity: 'SEV4',
      expr:
        'pg_stat_user_tables_n_dead_tup / (pg_stat_user_tables_n_live_tup + pg_stat_user_tables_n_dead_tup) > ' +
        `${L.deadTupleRatio} and pg_stat_user_tables_n_dead_tup > ${L.deadTupleMinimum}`,
      panel: {
        title: `Dead tuples, worst tables (alert above ${L.deadTupleRatio * 100} %)`,
        expr: `topk(5, pg_stat_user_tables_n_dead_tup / (pg_stat_user_tables_n_live_tup + pg_stat_user_tables_n_dead_tup) and pg_stat_user_tables_n_dead_tup > ${L.deadTupleMinimum})`,
        legend: '{{datname}} {{schemaname}}.{{relname}}',
        unit: 'percentunit',
        threshold: L.deadTupleRatio,
        healthyWhen: 'below',
        meaning: `Dead rows as a share of live plus dead rows, for the five worst tables with more than ${L.deadTupleMinimum} dead rows.`,
      },
      for: m(30),
      summary: 'Table {{ $labels.schemaname }}.{{ $labels.relname }} in {{ $labels.datname }} is bloated with dead tuples',
      description:
        `More than ${L.deadTupleRatio * 100} % of the rows in {{ $labels.schemaname }}.{{ $labels.relname }} are dead for 30 minutes: autovacuum is not keeping up, or a long transaction stops it. ` +
        'The vacuum-bloat runbook checks both.',
      runbook: '/runbooks/vacuum-bloat/',
      sqlCannotSee: 'whether the ratio has stayed above the limit for 30 minutes; SQL sees the counts now',
      cases: [
        {
          name: 'fires when 19 % of a large table is dead',
          evalMinutes: 40,
          fires: { ...DB_INSTANCE, job: 'postgres', datname: 'storefront', schemaname: 'public', relname: 'orders' },
          series: [
            {
              series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="orders"}`,
              values: '50000x50',
            },
            {
              series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="orders"}`,
              values: '12000x50',
            },
          ],
        },
        {
          name: 'stays silent at 2 % dead, and on a small table that autovacuum will handle',
          evalMinutes: 40,
          series: [
            {
              series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="orders"}`,
              values: '50000x50',
            },
            {
              series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="orders"}`,
              values: '1000x50',
            },
            {
              series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="feature_flags"}`,
              values: '100x50',
            },
            {
              series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="feature_flags"}`,
              values: '100x50',
            },
          ],
        },
      ],
    },
  ];
}
