// Every alert, with the series that must make it fire and the series that must
// keep it quiet. generate.ts turns this into the Prometheus rule file and its
// promtool unit tests, so an alert cannot exist without proof that it fires.
import { BASELINES, DATABASE_LIMITS, HANDBOOK_URL, baseline, formatThreshold, type Severity } from './baselines.ts';
import { ROLLOUT_ALERT_RULES } from './rollout-alerts.ts';

export interface SeriesInput {
  series: string;
  /** promtool expanding notation, one sample per minute: '0+60x30' */
  values: string;
}

export interface AlertCase {
  /** A plain sentence: what this case proves. */
  name: string;
  series: SeriesInput[];
  /** Minutes after the first sample at which promtool evaluates the rule. */
  evalMinutes: number;
  /** Labels of the alert that must fire; omit for a healthy case, which must stay silent. */
  fires?: Record<string, string>;
}

/** The dashboard panel that shows what the alert watches, with the alert's threshold drawn on it. */
export interface AlertPanel {
  title: string;
  expr: string;
  legend: string;
  unit: 's' | 'percentunit' | 'short';
  threshold: number;
  healthyWhen: 'below' | 'above';
  /** What the line means, for the panel description and the dashboard guide. */
  meaning: string;
}

export interface AlertRule {
  name: string;
  group: 'storefront-service' | 'postgresql';
  severity: Severity;
  expr: string;
  for: string;
  summary: string;
  description: string;
  /** Path on the handbook site; runbook_url is HANDBOOK_URL + this. */
  runbook: `/runbooks/${string}/`;
  panel: AlertPanel;
  cases: AlertCase[];
}

const API = 'route!~"/metrics|/healthz"';
const svc = 'job="storefront",instance="storefront-1:3000"';
const db = 'job="postgres",instance="db-1:9187"';
const SVC_LABELS = { job: 'storefront' };
const DB_INSTANCE = { instance: 'db-1:9187' };

const p95 = (metric: string, selector = '') =>
  `histogram_quantile(0.95, sum by (job, le) (rate(${metric}_bucket${selector ? `{${selector}}` : ''}[5m])))`;

const buckets = (metric: string, labels: string, edges: [string, string][]): SeriesInput[] =>
  edges.map(([le, values]) => ({ series: `${metric}_bucket{${labels},le="${le}"}`, values }));

const response = baseline('responseTimeP95');
const query = baseline('queryTimeP95');
const cache = baseline('cacheHitRate');
const errors = baseline('errorRate');

const hits = 'sum by (job) (rate(storefront_cache_hits_total[10m]))';
const misses = 'sum by (job) (rate(storefront_cache_misses_total[10m]))';
// A counter nobody has incremented is absent, not 0: "or 0 * other" keeps a
// 0 % hit rate (no hits at all) from silencing the alert.
const hitRate = `(${hits} or 0 * ${misses})`;
const missRate = `(${misses} or 0 * ${hits})`;

// #region baseline-queries
/** The four baselines as PromQL: the alert compares these with the threshold, the dashboard draws them. */
export const BASELINE_QUERIES = {
  responseTimeP95: p95('storefront_http_request_duration_seconds', API),
  queryTimeP95: p95('storefront_db_query_duration_seconds'),
  cacheHitRate: `${hitRate} / (${hitRate} + ${missRate})`,
  errorRate:
    `sum by (job) (rate(storefront_http_request_errors_total{${API}}[5m])) / ` +
    `sum by (job) (rate(storefront_http_request_duration_seconds_count{${API}}[5m]))`,
} as const;
// #endregion baseline-queries

const baselinePanel = (id: keyof typeof BASELINE_QUERIES): AlertPanel => {
  const entry = baseline(id);
  return {
    title: `${entry.title[0]!.toUpperCase()}${entry.title.slice(1)} (baseline ${formatThreshold(entry)})`,
    expr: BASELINE_QUERIES[id],
    legend: '{{job}}',
    unit: entry.unit === 'seconds' ? 's' : 'percentunit',
    threshold: entry.threshold,
    healthyWhen: entry.healthyWhen,
    meaning: entry.meaning,
  };
};

const blksHit = 'sum by (instance, datname) (rate(pg_stat_database_blks_hit[5m]))';
const blksRead = 'sum by (instance, datname) (rate(pg_stat_database_blks_read[5m]))';
const L = DATABASE_LIMITS;

// #region alert-rules
export const ALERT_RULES: readonly AlertRule[] = [
  {
    name: response.alert,
    group: 'storefront-service',
    severity: 'SEV2',
    expr: `${BASELINE_QUERIES.responseTimeP95} > ${response.threshold}`,
    panel: baselinePanel('responseTimeP95'),
    for: '5m',
    summary: `Storefront p95 response time is over ${formatThreshold(response).slice(2)} on {{ $labels.job }}`,
    description:
      `The slowest 5 % of API requests on {{ $labels.job }} have taken longer than the baseline (${formatThreshold(response)}) for 5 minutes. ` +
      'Compare with the p95 query time panel: if queries are slow too, the database is the cause; follow the slow-queries runbook.',
    runbook: '/runbooks/slow-queries/',
    cases: [
      {
        name: 'fires when every request takes between 1 and 2.5 s',
        evalMinutes: 15,
        fires: SVC_LABELS,
        series: buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
          ['0.5', '0+0x30'],
          ['1', '0+0x30'],
          ['2.5', '0+60x30'],
          ['+Inf', '0+60x30'],
        ]),
      },
      {
        name: 'stays silent when requests are fast and only the /metrics scrape is slow',
        evalMinutes: 15,
        series: [
          ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
            ['0.5', '0+60x30'],
            ['1', '0+60x30'],
            ['2.5', '0+60x30'],
            ['+Inf', '0+60x30'],
          ]),
          ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/metrics",status_code="200"`, [
            ['0.5', '0+0x30'],
            ['1', '0+0x30'],
            ['2.5', '0+600x30'],
            ['+Inf', '0+600x30'],
          ]),
        ],
      },
    ],
  },
  {
    name: query.alert,
    group: 'storefront-service',
    severity: 'SEV3',
    expr: `${BASELINE_QUERIES.queryTimeP95} > ${query.threshold}`,
    panel: baselinePanel('queryTimeP95'),
    for: '10m',
    summary: `Storefront p95 query time is over ${formatThreshold(query).slice(2)} on {{ $labels.job }}`,
    description:
      `The slowest 5 % of SQL queries from {{ $labels.job }} have taken longer than the baseline (${formatThreshold(query)}) for 10 minutes. ` +
      'The operation label of storefront_db_query_duration_seconds names the repository method; the slow-queries runbook finds the statement in pg_stat_statements.',
    runbook: '/runbooks/slow-queries/',
    cases: [
      {
        name: 'fires when queries take between 100 and 250 ms',
        evalMinutes: 20,
        fires: SVC_LABELS,
        series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
          ['0.05', '0+0x30'],
          ['0.1', '0+0x30'],
          ['0.25', '0+100x30'],
          ['+Inf', '0+100x30'],
        ]),
      },
      {
        name: 'stays silent when queries finish within 50 ms',
        evalMinutes: 20,
        series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
          ['0.05', '0+100x30'],
          ['0.1', '0+100x30'],
          ['0.25', '0+100x30'],
          ['+Inf', '0+100x30'],
        ]),
      },
    ],
  },
  {
    name: cache.alert,
    group: 'storefront-service',
    severity: 'SEV3',
    expr: `${BASELINE_QUERIES.cacheHitRate} < ${cache.threshold} and (${hitRate} + ${missRate}) > 0`,
    panel: baselinePanel('cacheHitRate'),
    for: '15m',
    summary: `Storefront cache hit rate is under ${formatThreshold(cache).slice(2)} on {{ $labels.job }}`,
    description:
      `Fewer reads than the baseline (${formatThreshold(cache)}) were answered from the cache over the last 15 minutes, so more of them reach PostgreSQL. ` +
      'Check for a recent restart (an empty cache), a deploy that changed cache keys, or a burst of writes that invalidates entries.',
    runbook: '/runbooks/cache-hit-rate/',
    cases: [
      {
        name: 'fires when 30 % of reads hit the cache',
        evalMinutes: 30,
        fires: SVC_LABELS,
        series: [
          { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '0+30x40' },
          { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+70x40' },
        ],
      },
      {
        name: 'fires when no read has ever hit the cache (the hits counter does not exist yet)',
        evalMinutes: 30,
        fires: SVC_LABELS,
        series: [{ series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+70x40' }],
      },
      {
        name: 'stays silent when 90 % of reads hit the cache',
        evalMinutes: 30,
        series: [
          { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '0+90x40' },
          { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+10x40' },
        ],
      },
      {
        name: 'stays silent when there is no traffic at all',
        evalMinutes: 30,
        series: [
          { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '5x40' },
          { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '50x40' },
        ],
      },
    ],
  },
  {
    name: errors.alert,
    group: 'storefront-service',
    severity: 'SEV2',
    expr: `${BASELINE_QUERIES.errorRate} > ${errors.threshold}`,
    panel: baselinePanel('errorRate'),
    for: '5m',
    summary: `Storefront error rate is over ${formatThreshold(errors).slice(2)} on {{ $labels.job }}`,
    description:
      `More than the baseline share of API requests (${formatThreshold(errors)}) on {{ $labels.job }} were answered with a 5xx status for 5 minutes. ` +
      `Follow the error-spike runbook. If it started right after a release or a data_layer switch, roll back first: ${HANDBOOK_URL}/runbooks/rollback/`,
    runbook: '/runbooks/error-spike/',
    cases: [
      {
        name: 'fires when 2 % of requests fail',
        evalMinutes: 15,
        fires: SVC_LABELS,
        series: [
          { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+2x30' },
          { series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`, values: '0+2x30' },
          { series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`, values: '0+98x30' },
        ],
      },
      {
        name: 'stays silent at 0.5 % errors, and ignores a failing /healthz',
        evalMinutes: 15,
        series: [
          { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+1x30' },
          { series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`, values: '0+1x30' },
          { series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`, values: '0+199x30' },
          { series: `storefront_http_request_errors_total{${svc},method="GET",route="/healthz"}`, values: '0+6x30' },
          { series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/healthz",status_code="503"}`, values: '0+6x30' },
        ],
      },
    ],
  },
  {
    name: 'PostgresDown',
    group: 'postgresql',
    severity: 'SEV1',
    expr: 'pg_up == 0',
    panel: {
      title: 'PostgreSQL up (pg_up)',
      expr: 'min by (instance) (pg_up)',
      legend: '{{instance}}',
      unit: 'short',
      threshold: 1,
      healthyWhen: 'above',
      meaning: '1 while postgres_exporter can connect to PostgreSQL, 0 when it cannot.',
    },
    for: '1m',
    summary: 'PostgreSQL on {{ $labels.instance }} is not answering',
    description:
      'postgres_exporter on {{ $labels.instance }} cannot connect to PostgreSQL (pg_up is 0). Every Storefront request that needs the database fails. ' +
      'Start with the health-check runbook; /healthz on the service says whether it can reach the database too.',
    runbook: '/runbooks/health-check/',
    cases: [
      { name: 'fires when pg_up stays 0', evalMinutes: 5, fires: { ...DB_INSTANCE, job: 'postgres' }, series: [{ series: `pg_up{${db}}`, values: '0x10' }] },
      { name: 'stays silent when pg_up is 1', evalMinutes: 5, series: [{ series: `pg_up{${db}}`, values: '1x10' }] },
    ],
  },
  {
    name: 'PostgresConnectionsNearLimit',
    group: 'postgresql',
    severity: 'SEV2',
    expr:
      'sum by (instance) (pg_stat_activity_count) > ' +
      `${L.connectionsUsedRatio} * (max by (instance) (pg_settings_max_connections) - max by (instance) (pg_settings_superuser_reserved_connections))`,
    panel: {
      title: `Connections in use (alert above ${L.connectionsUsedRatio * 100} % of usable)`,
      expr: 'sum by (instance) (pg_stat_activity_count) / (max by (instance) (pg_settings_max_connections) - max by (instance) (pg_settings_superuser_reserved_connections))',
      legend: '{{instance}}',
      unit: 'percentunit',
      threshold: L.connectionsUsedRatio,
      healthyWhen: 'below',
      meaning: 'Open connections (every state) as a share of max_connections minus the slots reserved for superusers.',
    },
    for: '5m',
    summary: 'PostgreSQL on {{ $labels.instance }} is close to its connection limit',
    description:
      `More than ${L.connectionsUsedRatio * 100} % of the connections an application may open (max_connections minus superuser_reserved_connections) are in use on {{ $labels.instance }}. ` +
      'New connections will soon be refused. The connection-saturation runbook shows who holds them.',
    runbook: '/runbooks/connection-saturation/',
    cases: [
      {
        name: 'fires at 90 of 97 usable connections (max_connections 100, 3 reserved)',
        evalMinutes: 10,
        fires: DB_INSTANCE,
        series: [
          { series: `pg_stat_activity_count{${db},datname="storefront",state="active"}`, values: '60x15' },
          { series: `pg_stat_activity_count{${db},datname="storefront",state="idle"}`, values: '30x15' },
          { series: `pg_settings_max_connections{${db}}`, values: '100x15' },
          { series: `pg_settings_superuser_reserved_connections{${db}}`, values: '3x15' },
        ],
      },
      {
        name: 'stays silent at 70 of 97 usable connections',
        evalMinutes: 10,
        series: [
          { series: `pg_stat_activity_count{${db},datname="storefront",state="active"}`, values: '40x15' },
          { series: `pg_stat_activity_count{${db},datname="storefront",state="idle"}`, values: '30x15' },
          { series: `pg_settings_max_connections{${db}}`, values: '100x15' },
          { series: `pg_settings_superuser_reserved_connections{${db}}`, values: '3x15' },
        ],
      },
    ],
  },
  {
    name: 'PostgresLongRunningTransaction',
    group: 'postgresql',
    severity: 'SEV3',
    expr: `max by (instance) (pg_stat_activity_max_tx_duration) > ${L.longTransactionSeconds}`,
    panel: {
      title: `Oldest open transaction (alert above ${L.longTransactionSeconds} s)`,
      expr: 'max by (instance) (pg_stat_activity_max_tx_duration)',
      legend: '{{instance}}',
      unit: 's',
      threshold: L.longTransactionSeconds,
      healthyWhen: 'below',
      meaning: 'Age of the oldest transaction still open, over every session and state.',
    },
    for: '1m',
    summary: `A transaction on {{ $labels.instance }} has been open for more than ${L.longTransactionSeconds} s`,
    description:
      `The oldest open transaction on {{ $labels.instance }} is older than ${L.longTransactionSeconds} s. It holds its locks and stops VACUUM from removing dead rows. ` +
      'The lock-contention runbook names its PID, owner and last statement, and who it blocks, if anyone.',
    runbook: '/runbooks/lock-contention/',
    cases: [
      {
        name: 'fires on one old transaction even when every other state is idle (max, not avg)',
        evalMinutes: 10,
        fires: DB_INSTANCE,
        series: [
          { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle in transaction"}`, values: '0+60x15' },
          { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="active"}`, values: '0x15' },
          { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle"}`, values: '0x15' },
          { series: `pg_stat_activity_max_tx_duration{${db},datname="postgres",state="active"}`, values: '0x15' },
        ],
      },
      {
        name: 'stays silent when transactions finish within a minute',
        evalMinutes: 10,
        series: [
          { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="active"}`, values: '45x15' },
          { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle in transaction"}`, values: '2x15' },
        ],
      },
    ],
  },
  {
    name: 'PostgresLocksHigh',
    group: 'postgresql',
    severity: 'SEV3',
    expr: `sum by (instance, datname) (pg_locks_count) > ${L.locksPerDatabase}`,
    panel: {
      title: `Locks held per database (alert above ${L.locksPerDatabase})`,
      expr: 'sum by (instance, datname) (pg_locks_count)',
      legend: '{{datname}}',
      unit: 'short',
      threshold: L.locksPerDatabase,
      healthyWhen: 'below',
      meaning: 'Locks held in each database, all modes together.',
    },
    for: '5m',
    summary: 'Database {{ $labels.datname }} on {{ $labels.instance }} holds many locks',
    description:
      `More than ${L.locksPerDatabase} locks have been held in {{ $labels.datname }} for 5 minutes. Sessions may be queueing behind one lock holder. ` +
      'The lock-contention runbook draws the blocking tree.',
    runbook: '/runbooks/lock-contention/',
    cases: [
      {
        name: 'fires when 230 locks are held in one database',
        evalMinutes: 10,
        fires: { ...DB_INSTANCE, datname: 'storefront' },
        series: [
          { series: `pg_locks_count{${db},datname="storefront",mode="rowexclusivelock"}`, values: '150x15' },
          { series: `pg_locks_count{${db},datname="storefront",mode="accessexclusivelock"}`, values: '80x15' },
        ],
      },
      {
        name: 'stays silent with 60 locks',
        evalMinutes: 10,
        series: [
          { series: `pg_locks_count{${db},datname="storefront",mode="rowexclusivelock"}`, values: '50x15' },
          { series: `pg_locks_count{${db},datname="storefront",mode="accessexclusivelock"}`, values: '10x15' },
        ],
      },
    ],
  },
  {
    name: 'PostgresLowBufferCacheHitRatio',
    group: 'postgresql',
    severity: 'SEV4',
    expr: `${blksHit} / (${blksHit} + ${blksRead}) < ${L.bufferCacheHitRatio} and (${blksHit} + ${blksRead}) > 0`,
    panel: {
      title: `Buffer-cache hit ratio (alert below ${L.bufferCacheHitRatio * 100} %)`,
      expr: `${blksHit} / (${blksHit} + ${blksRead})`,
      legend: '{{datname}}',
      unit: 'percentunit',
      threshold: L.bufferCacheHitRatio,
      healthyWhen: 'above',
      meaning: 'Share of block reads served from shared buffers rather than the operating system or disk.',
    },
    for: '30m',
    summary: 'Buffer-cache hit ratio of {{ $labels.datname }} on {{ $labels.instance }} is low',
    description:
      `Fewer than ${L.bufferCacheHitRatio * 100} % of block reads in {{ $labels.datname }} were served from shared buffers for 30 minutes, so queries wait on disk. ` +
      'Usually a new query scanning a large table, or a working set that outgrew shared_buffers. See the cache-hit-rate runbook.',
    runbook: '/runbooks/cache-hit-rate/',
    cases: [
      {
        name: 'fires when 80 % of block reads hit shared buffers',
        evalMinutes: 45,
        fires: { ...DB_INSTANCE, datname: 'storefront' },
        series: [
          { series: `pg_stat_database_blks_hit{${db},datid="16384",datname="storefront"}`, values: '0+800x60' },
          { series: `pg_stat_database_blks_read{${db},datid="16384",datname="storefront"}`, values: '0+200x60' },
        ],
      },
      {
        name: 'stays silent at 99 %, and on an idle database whose counters do not move',
        evalMinutes: 45,
        series: [
          { series: `pg_stat_database_blks_hit{${db},datid="16384",datname="storefront"}`, values: '0+990x60' },
          { series: `pg_stat_database_blks_read{${db},datid="16384",datname="storefront"}`, values: '0+10x60' },
          { series: `pg_stat_database_blks_hit{${db},datid="5",datname="postgres"}`, values: '100x60' },
          { series: `pg_stat_database_blks_read{${db},datid="5",datname="postgres"}`, values: '900x60' },
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
    expr: 'sum by (instance, datname) (increase(pg_stat_database_deadlocks[10m])) > 0',
    panel: {
      title: 'Deadlocks in the last 10 minutes (alert above 0)',
      expr: 'sum by (instance, datname) (increase(pg_stat_database_deadlocks[10m]))',
      legend: '{{datname}}',
      unit: 'short',
      threshold: 0,
      healthyWhen: 'below',
      meaning: 'Transactions PostgreSQL aborted to break a deadlock, per database, over a sliding 10-minute window.',
    },
    for: '0m',
    summary: 'Deadlocks in {{ $labels.datname }} on {{ $labels.instance }}',
    description:
      'PostgreSQL aborted at least one transaction in {{ $labels.datname }} in the last 10 minutes to break a deadlock; the application saw an error (SQLSTATE 40P01). ' +
      'The error-spike runbook shows how to find the two statements in the server log.',
    runbook: '/runbooks/error-spike/',
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
    for: '30m',
    summary: 'Table {{ $labels.schemaname }}.{{ $labels.relname }} in {{ $labels.datname }} is bloated with dead tuples',
    description:
      `More than ${L.deadTupleRatio * 100} % of the rows in {{ $labels.schemaname }}.{{ $labels.relname }} are dead for 30 minutes: autovacuum is not keeping up, or a long transaction stops it. ` +
      'The vacuum-bloat runbook checks both.',
    runbook: '/runbooks/vacuum-bloat/',
    cases: [
      {
        name: 'fires when 19 % of a large table is dead',
        evalMinutes: 40,
        fires: { ...DB_INSTANCE, job: 'postgres', datname: 'storefront', schemaname: 'public', relname: 'orders' },
        series: [
          { series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="orders"}`, values: '50000x50' },
          { series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="orders"}`, values: '12000x50' },
        ],
      },
      {
        name: 'stays silent at 2 % dead, and on a small table that autovacuum will handle',
        evalMinutes: 40,
        series: [
          { series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="orders"}`, values: '50000x50' },
          { series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="orders"}`, values: '1000x50' },
          { series: `pg_stat_user_tables_n_live_tup{${db},datname="storefront",schemaname="public",relname="feature_flags"}`, values: '100x50' },
          { series: `pg_stat_user_tables_n_dead_tup{${db},datname="storefront",schemaname="public",relname="feature_flags"}`, values: '100x50' },
        ],
      },
    ],
  },
  ...ROLLOUT_ALERT_RULES,
];
// #endregion alert-rules

export function runbookUrl(rule: Pick<AlertRule, 'runbook'>): string {
  return `${HANDBOOK_URL}${rule.runbook}`;
}

/** The baseline alerts are named in baselines.ts; this keeps the two lists from drifting apart. */
export function alertsWithoutRule(): string[] {
  return BASELINES.map((entry) => entry.alert).filter((name) => !ALERT_RULES.some((rule) => rule.name === name));
}
