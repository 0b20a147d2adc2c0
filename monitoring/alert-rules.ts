// Every alert, with the series that must make it fire and the series that must
// keep it quiet. generate.ts turns this into the Prometheus rule file and its
// promtool unit tests, so an alert cannot exist without proof that it fires.
import { BASELINES, DATABASE_LIMITS, HANDBOOK_URL, baseline, formatThreshold, type Severity } from './baselines.ts';
import { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS } from '../snippets/service/histogram-buckets.ts';
import { ROLLOUT_ALERT_RULES } from './rollout-alerts.ts';

interface SeriesInput {
  series: string;
  /** promtool expanding notation, one sample per minute: '0+60x30' */
  values: string;
}

interface AlertCase {
  /** A plain sentence: what this case proves. */
  name: string;
  series: SeriesInput[];
  /** Minutes after the first sample at which promtool evaluates the rule. */
  evalMinutes: number;
  /** Labels of the alert that must fire; omit for a healthy case, which must stay silent. */
  fires?: Record<string, string>;
}

/** The dashboard panel that shows what the alert watches, with the alert's threshold drawn on it. */
interface AlertPanel {
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
  /**
   * What SQL run now cannot see of this condition (a past window, the service's own
   * counters). The runbook says so and prints the PromQL; empty when SQL sees all of it.
   */
  sqlCannotSee?: string;
  panel: AlertPanel;
  cases: AlertCase[];
}

const API = 'route!~"/metrics|/healthz"';
const svc = 'job="storefront",instance="storefront-1:3000"';
const db = 'job="postgres",instance="db-1:9187"';
const SVC_LABELS = { job: 'storefront' };
const DB_INSTANCE = { instance: 'db-1:9187' };

/** Template databases and the shared-catalog row (datname "") never page. */
const REAL_DB = 'datname!~"template0|template1|"';

/**
 * A Prometheus duration for `minutes` of production time. The end-to-end test
 * (test/monitoring/alert-loop.test.ts) loads the same rules with scale 1/60, so a
 * minute there lasts a second; the promtool tests and the shipped file use 1.
 */
function scaledDuration(minutes: number, scale = 1): string {
  const ms = Math.round(minutes * 60_000 * scale);
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const p95 = (metric: string, selector: string, window: string) =>
  `histogram_quantile(0.95, sum by (job, le) (rate(${metric}_bucket${selector ? `{${selector}}` : ''}[${window}])))`;

const buckets = (metric: string, labels: string, edges: [string, string][]): SeriesInput[] =>
  edges.map(([le, values]) => ({ series: `${metric}_bucket{${labels},le="${le}"}`, values }));

/** Bucket edges around a latency baseline (it is itself an edge): the unit tests put requests just under or just over it. */
function around(threshold: number, edges: readonly number[]) {
  const at = edges.indexOf(threshold);
  if (at < 1 || at >= edges.length - 1) throw new Error(`baseline ${threshold} s must be an inner histogram bucket edge`);
  return { below: String(edges[at - 1]), at: String(threshold), above: String(edges[at + 1]) };
}

const response = baseline('responseTimeP95');
const query = baseline('queryTimeP95');
const httpEdges = around(response.threshold, HTTP_BUCKETS_SECONDS);
const queryEdges = around(query.threshold, QUERY_BUCKETS_SECONDS);
const cache = baseline('cacheHitRate');
const errors = baseline('errorRate');

const cacheRates = (window: string) => {
  const hits = `sum by (job) (rate(storefront_cache_hits_total[${window}]))`;
  const misses = `sum by (job) (rate(storefront_cache_misses_total[${window}]))`;
  // A counter nobody has incremented is absent, not 0: "or 0 * other" keeps a
  // 0 % hit rate (no hits at all) from silencing the alert.
  return { hitRate: `(${hits} or 0 * ${misses})`, missRate: `(${misses} or 0 * ${hits})` };
};

// #region baseline-queries
/** The four baselines as PromQL: the alert compares these with the threshold, the dashboard draws them. */
function baselineQueries(scale = 1) {
  const w5 = scaledDuration(5, scale);
  const { hitRate, missRate } = cacheRates(scaledDuration(10, scale));
  return {
    responseTimeP95: p95('storefront_http_request_duration_seconds', API, w5),
    queryTimeP95: p95('storefront_db_query_duration_seconds', '', w5),
    cacheHitRate: `${hitRate} / (${hitRate} + ${missRate})`,
    errorRate:
      `sum by (job) (rate(storefront_http_request_errors_total{${API}}[${w5}])) / ` +
      `sum by (job) (rate(storefront_http_request_duration_seconds_count{${API}}[${w5}]))`,
  } as const;
}
// #endregion baseline-queries

const BASELINE_QUERIES = baselineQueries();

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

const L = DATABASE_LIMITS;

// #region alert-rules
/**
 * Every alert. `scale` shrinks the windows, the `for` durations and the time limits
 * together (1/60: a minute becomes a second) for the end-to-end test; thresholds that
 * are not times (ratios, counts, bytes, query seconds) never change.
 */
export function alertRules(scale = 1): AlertRule[] {
  const m = (minutes: number) => scaledDuration(minutes, scale);
  const seconds = (value: number) => Number((value * scale).toFixed(3));
  const BQ = baselineQueries(scale);
  const { hitRate, missRate } = cacheRates(m(10));
  const blksHit = `sum by (instance, datname) (rate(pg_stat_database_blks_hit{${REAL_DB}}[${m(5)}]))`;
  const blksRead = `sum by (instance, datname) (rate(pg_stat_database_blks_read{${REAL_DB}}[${m(5)}]))`;
  const longTx = seconds(L.longTransactionSeconds);
  const lockWait = seconds(L.lockWaitSeconds);
  return [
    {
      name: response.alert,
      group: 'storefront-service',
      severity: 'SEV2',
      expr: `${BQ.responseTimeP95} > ${response.threshold}`,
      panel: baselinePanel('responseTimeP95'),
      for: m(5),
      summary: `Storefront p95 response time is over ${formatThreshold(response).slice(2)} on {{ $labels.job }}`,
      description:
        `The slowest 5 % of API requests on {{ $labels.job }} have taken longer than the baseline (${formatThreshold(response)}) for 5 minutes. ` +
        'Compare with the p95 query time panel: if queries are slow too, the database is the cause; follow the slow-queries runbook.',
      runbook: '/runbooks/slow-queries/',
      sqlCannotSee: "the service's response times: PostgreSQL sees its queries, never the HTTP requests, the pool wait or the network",
      cases: [
        {
          name: 'fires when every request takes between the baseline and the next bucket edge',
          evalMinutes: 15,
          fires: SVC_LABELS,
          series: buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
            [httpEdges.below, '0+0x30'],
            [httpEdges.at, '0+0x30'],
            [httpEdges.above, '0+60x30'],
            ['+Inf', '0+60x30'],
          ]),
        },
        {
          name: 'stays silent when requests are fast and only the /metrics scrape is slow',
          evalMinutes: 15,
          series: [
            ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
              [httpEdges.below, '0+60x30'],
              [httpEdges.at, '0+60x30'],
              [httpEdges.above, '0+60x30'],
              ['+Inf', '0+60x30'],
            ]),
            ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/metrics",status_code="200"`, [
              [httpEdges.below, '0+0x30'],
              [httpEdges.at, '0+0x30'],
              [httpEdges.above, '0+600x30'],
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
      expr: `${BQ.queryTimeP95} > ${query.threshold}`,
      panel: baselinePanel('queryTimeP95'),
      for: m(10),
      summary: `Storefront p95 query time is over ${formatThreshold(query).slice(2)} on {{ $labels.job }}`,
      description:
        `The slowest 5 % of SQL queries from {{ $labels.job }} have taken longer than the baseline (${formatThreshold(query)}) for 10 minutes. ` +
        'The operation label of storefront_db_query_duration_seconds names the repository method; the slow-queries runbook finds the statement in pg_stat_statements.',
      runbook: '/runbooks/slow-queries/',
      sqlCannotSee:
        "the service's own query histogram over the last 5 minutes (it includes pool wait and network); pg_stat_statements has per-statement means since its last reset, which the runbook samples over a few seconds instead",
      cases: [
        {
          name: 'fires when queries take between the baseline and the next bucket edge',
          evalMinutes: 20,
          fires: SVC_LABELS,
          series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
            [queryEdges.below, '0+0x30'],
            [queryEdges.at, '0+0x30'],
            [queryEdges.above, '0+100x30'],
            ['+Inf', '0+100x30'],
          ]),
        },
        {
          name: 'stays silent when queries finish within the bucket below the baseline',
          evalMinutes: 20,
          series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
            [queryEdges.below, '0+100x30'],
            [queryEdges.at, '0+100x30'],
            [queryEdges.above, '0+100x30'],
            ['+Inf', '0+100x30'],
          ]),
        },
      ],
    },
    {
      name: cache.alert,
      group: 'storefront-service',
      severity: 'SEV3',
      expr: `${BQ.cacheHitRate} < ${cache.threshold} and (${hitRate} + ${missRate}) > 0`,
      panel: baselinePanel('cacheHitRate'),
      for: m(15),
      summary: `Storefront cache hit rate is under ${formatThreshold(cache).slice(2)} on {{ $labels.job }}`,
      description:
        `Fewer reads than the baseline (${formatThreshold(cache)}) were answered from the cache over the last 15 minutes, so more of them reach PostgreSQL. ` +
        'Check for a recent restart (an empty cache), a deploy that changed cache keys, or a burst of writes that invalidates entries.',
      runbook: '/runbooks/cache-hit-rate/',
      sqlCannotSee:
        "the service's cache counters over the last 10 minutes; with --metrics-url the runbook samples them over a few seconds instead",
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
      expr: `${BQ.errorRate} > ${errors.threshold}`,
      panel: baselinePanel('errorRate'),
      for: m(5),
      summary: `Storefront error rate is over ${formatThreshold(errors).slice(2)} on {{ $labels.job }}`,
      description:
        `More than the baseline share of API requests (${formatThreshold(errors)}) on {{ $labels.job }} were answered with a 5xx status for 5 minutes. ` +
        `Follow the error-spike runbook. If it started right after a release or a data_layer switch, roll back first: ${HANDBOOK_URL}/runbooks/rollback/`,
      runbook: '/runbooks/error-spike/',
      sqlCannotSee: 'HTTP 5xx answers: they happen in the service and never reach PostgreSQL',
      cases: [
        {
          name: 'fires when 2 % of requests fail',
          evalMinutes: 15,
          fires: SVC_LABELS,
          series: [
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+2x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`,
              values: '0+2x30',
            },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`,
              values: '0+98x30',
            },
          ],
        },
        {
          name: 'stays silent at 0.5 % errors, and ignores a failing /healthz',
          evalMinutes: 15,
          series: [
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+1x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`,
              values: '0+1x30',
            },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`,
              values: '0+199x30',
            },
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/healthz"}`, values: '0+6x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/healthz",status_code="503"}`,
              values: '0+6x30',
            },
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
      for: m(1),
      summary: 'PostgreSQL on {{ $labels.instance }} is not answering',
      description:
        'postgres_exporter on {{ $labels.instance }} cannot connect to PostgreSQL (pg_up is 0). Every Storefront request that needs the database fails. ' +
        'Follow the database-down runbook: run it on the database host with --data-dir to read the cause from the server log; /healthz on the service says whether it can reach the database too.',
      runbook: '/runbooks/database-down/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires when pg_up stays 0',
          evalMinutes: 5,
          fires: { ...DB_INSTANCE, job: 'postgres' },
          series: [{ series: `pg_up{${db}}`, values: '0x10' }],
        },
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
      for: m(5),
      summary: 'PostgreSQL on {{ $labels.instance }} is close to its connection limit',
      description:
        `More than ${L.connectionsUsedRatio * 100} % of the connections an application may open (max_connections minus superuser_reserved_connections) are in use on {{ $labels.instance }}. ` +
        'New connections will soon be refused. The connection-saturation runbook shows who holds them.',
      runbook: '/runbooks/connection-saturation/',
      sqlCannotSee: 'whether the count has stayed above the limit for 5 minutes; SQL sees the count now',
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
      // By database, so on-call knows where to point the runbook; template databases never page.
      expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${REAL_DB}}) > ${longTx}`,
      panel: {
        title: `Oldest open transaction (alert above ${L.longTransactionSeconds} s)`,
        expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${REAL_DB}})`,
        legend: '{{datname}}',
        unit: 's',
        threshold: L.longTransactionSeconds,
        healthyWhen: 'below',
        meaning: 'Age of the oldest transaction still open, over every session and state.',
      },
      for: m(1),
      summary: `A transaction in {{ $labels.datname }} on {{ $labels.instance }} has been open for more than ${longTx} s`,
      description:
        `The oldest open transaction in {{ $labels.datname }} is older than ${longTx} s. It holds its locks and stops VACUUM from removing dead rows. ` +
        'The lock-contention runbook, pointed at that database, names its PID, owner and last statement, and who it blocks, if anyone.',
      runbook: '/runbooks/lock-contention/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires on one old transaction even when every other state is idle (max, not avg), naming its database',
          evalMinutes: 10,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
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
        {
          name: 'stays silent on a template database',
          evalMinutes: 10,
          series: [
            { series: `pg_stat_activity_max_tx_duration{${db},datname="template1",state="idle in transaction"}`, values: '0+60x15' },
          ],
        },
      ],
    },
    {
      name: 'PostgresLockWaits',
      group: 'postgresql',
      severity: 'SEV3',
      // pg_lock_waits_* come from the handbook's queries file (monitoring/postgres-exporter/queries.yml):
      // postgres_exporter's own pg_locks_count counts held locks of every mode, so a session holding
      // many harmless AccessShare locks looked like a pile-up while a real queue could stay under it.
      expr: `max by (instance, datname) (pg_lock_waits_oldest_seconds{${REAL_DB}}) > ${lockWait}`,
      panel: {
        title: `Longest lock wait per database (alert above ${L.lockWaitSeconds} s)`,
        expr: `max by (instance, datname) (pg_lock_waits_oldest_seconds{${REAL_DB}})`,
        legend: '{{datname}}',
        unit: 's',
        threshold: L.lockWaitSeconds,
        healthyWhen: 'below',
        meaning: 'How long the longest-waiting session in each database has been queued for a lock (pg_locks.waitstart).',
      },
      for: m(1),
      summary: `A session in {{ $labels.datname }} on {{ $labels.instance }} has waited more than ${lockWait} s for a lock`,
      description:
        `At least one session in {{ $labels.datname }} has been queued behind a lock for more than ${lockWait} s; every request that needs the same row or table queues behind it. ` +
        'The lock-contention runbook, pointed at that database, names the session holding the lock and draws who waits on it.',
      runbook: '/runbooks/lock-contention/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires when a session has waited 45 s for a lock, naming its database',
          evalMinutes: 5,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
          series: [
            { series: `pg_lock_waits_oldest_seconds{${db},datname="storefront"}`, values: '0+15x10' },
            { series: `pg_lock_waits_sessions{${db},datname="storefront"}`, values: '3x10' },
          ],
        },
        {
          name: 'stays silent on short waits, and on held locks nobody waits for',
          evalMinutes: 5,
          series: [
            { series: `pg_lock_waits_oldest_seconds{${db},datname="storefront"}`, values: '2x10' },
            { series: `pg_locks_count{${db},datname="storefront",mode="accesssharelock"}`, values: '502x10' },
          ],
        },
      ],
    },
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
    {
      name: 'PostgresReplicationSlotRetainingWal',
      group: 'postgresql',
      severity: 'SEV2',
      // pg_replication_slot_* come from the handbook's queries file.
      expr: `max by (instance, slot_name) (pg_replication_slot_retained_bytes) > ${L.slotRetainedWalBytes} and on (instance, slot_name) max by (instance, slot_name) (pg_replication_slot_active) == 0`,
      panel: {
        title: `WAL kept by each replication slot (alert above ${L.slotRetainedWalBytes / 1024 ** 2} MB while inactive)`,
        expr: 'max by (instance, slot_name) (pg_replication_slot_retained_bytes)',
        legend: '{{slot_name}}',
        unit: 'short',
        threshold: L.slotRetainedWalBytes,
        healthyWhen: 'below',
        meaning: 'Bytes of WAL each replication slot keeps on disk because its consumer has not confirmed them.',
      },
      for: m(5),
      summary: 'Inactive replication slot {{ $labels.slot_name }} on {{ $labels.instance }} is keeping WAL',
      description:
        `Nobody has read from slot {{ $labels.slot_name }} for 5 minutes and it keeps more than ${L.slotRetainedWalBytes / 1024 ** 2} MB of WAL, which grows until the disk is full and PostgreSQL stops. ` +
        'The wal-growth runbook shows every slot and drops an abandoned one on request.',
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires on an inactive slot keeping 3 GB',
          evalMinutes: 10,
          fires: { ...DB_INSTANCE, slot_name: 'replica_2' },
          series: [
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="replica_2",slot_type="physical"}`, values: '3000000000x15' },
            { series: `pg_replication_slot_active{${db},slot_name="replica_2",slot_type="physical"}`, values: '0x15' },
          ],
        },
        {
          name: 'stays silent on an active slot that lags, and on an inactive slot keeping little',
          evalMinutes: 10,
          series: [
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="replica_1",slot_type="physical"}`, values: '3000000000x15' },
            { series: `pg_replication_slot_active{${db},slot_name="replica_1",slot_type="physical"}`, values: '1x15' },
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="spare",slot_type="physical"}`, values: '0x15' },
            { series: `pg_replication_slot_active{${db},slot_name="spare",slot_type="physical"}`, values: '0x15' },
          ],
        },
      ],
    },
    {
      name: 'PostgresArchiveFailing',
      group: 'postgresql',
      severity: 'SEV2',
      expr: `sum by (instance) (increase(pg_stat_archiver_failed_count[${m(10)}])) > 0 and on (instance) max by (instance) (pg_stat_archiver_last_archive_age) > ${seconds(600)}`,
      panel: {
        title: 'archive_command failures in the last 10 minutes (alert above 0 with no success in 10 minutes)',
        expr: `sum by (instance) (increase(pg_stat_archiver_failed_count[${m(10)}]))`,
        legend: '{{instance}}',
        unit: 'short',
        threshold: 0,
        healthyWhen: 'below',
        meaning: 'How often archive_command failed; every failed segment stays in pg_wal until it succeeds.',
      },
      for: m(5),
      summary: 'archive_command keeps failing on {{ $labels.instance }}',
      description:
        'archive_command has failed and nothing was archived for 10 minutes: WAL piles up in pg_wal, and point-in-time recovery past the last archived segment is impossible. ' +
        "The wal-growth runbook names the failing segment; the server log has the command's error.",
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: 'whether the failures went on for 5 minutes; SQL sees the last failure and the last success',
      cases: [
        {
          name: 'fires when archiving fails every minute and the last success is old',
          evalMinutes: 20,
          fires: DB_INSTANCE,
          series: [
            { series: `pg_stat_archiver_failed_count{${db}}`, values: '0+3x30' },
            { series: `pg_stat_archiver_last_archive_age{${db}}`, values: '0+60x30' },
          ],
        },
        {
          name: 'stays silent after one failure that the next attempt fixed',
          evalMinutes: 20,
          series: [
            { series: `pg_stat_archiver_failed_count{${db}}`, values: '0x10 1x20' },
            { series: `pg_stat_archiver_last_archive_age{${db}}`, values: '30x30' },
          ],
        },
      ],
    },
    {
      name: 'PostgresWalDirectoryLarge',
      group: 'postgresql',
      severity: 'SEV3',
      expr: `max by (instance) (pg_wal_directory_bytes) > ${L.walDirectoryBytes}`,
      panel: {
        title: `Size of pg_wal (alert above ${L.walDirectoryBytes / 1024 ** 3} GB)`,
        expr: 'max by (instance) (pg_wal_directory_bytes)',
        legend: '{{instance}}',
        unit: 'short',
        threshold: L.walDirectoryBytes,
        healthyWhen: 'below',
        meaning: 'Bytes of WAL on disk; it should stay near max_wal_size.',
      },
      for: m(10),
      summary: 'pg_wal on {{ $labels.instance }} is larger than it should be',
      description:
        `pg_wal has held more than ${L.walDirectoryBytes / 1024 ** 3} GB for 10 minutes: a replication slot or archive_command is keeping WAL, and the disk will fill. ` +
        'The wal-growth runbook says which.',
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires at 6 GB of WAL',
          evalMinutes: 20,
          fires: DB_INSTANCE,
          series: [{ series: `pg_wal_directory_bytes{${db}}`, values: '6000000000x30' }],
        },
        { name: 'stays silent at 1 GB', evalMinutes: 20, series: [{ series: `pg_wal_directory_bytes{${db}}`, values: '1000000000x30' }] },
      ],
    },
    // The rollout's alerts (issue 16) live in rollout-alerts.ts; their windows are not scaled.
    ...ROLLOUT_ALERT_RULES,
  ];
}
// #endregion alert-rules

export const ALERT_RULES: readonly AlertRule[] = alertRules();

export function runbookUrl(rule: Pick<AlertRule, 'runbook'>): string {
  return `${HANDBOOK_URL}${rule.runbook}`;
}

/** The baseline alerts are named in baselines.ts; this keeps the two lists from drifting apart. */
export function alertsWithoutRule(): string[] {
  return BASELINES.map((entry) => entry.alert).filter((name) => !ALERT_RULES.some((rule) => rule.name === name));
}
