// The service-level baselines, defined once and derived from the handbook's own
// measurements (site/data/bench-results.json, written by `npm run bench`). The Prometheus alert rules, the
// Grafana dashboard, the promtool unit tests and the tables on the support pages
// are all generated from (or checked against) this file: change a number here,
// run `npm run monitoring:generate`, and every one of them follows.

import benchResults from '../site/data/bench-results.json' with { type: 'json' };
import { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS } from '../snippets/service/histogram-buckets.ts';

/** Where the handbook is published (lib/site-address.ts, also astro.config.mjs `site`); alerts link into it. */
export { SITE_ADDRESS as HANDBOOK_URL } from '../lib/site-address.ts';

export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

export type BaselineId = 'responseTimeP95' | 'queryTimeP95' | 'cacheHitRate' | 'errorRate';

export interface Baseline {
  id: BaselineId;
  title: string;
  /** Healthy when the measured value is below (or above) the threshold. */
  healthyWhen: 'below' | 'above';
  threshold: number;
  unit: 'seconds' | 'ratio';
  /** What the number means, for the docs and the dashboard panel description. */
  meaning: string;
  /** The alert that fires when the baseline is broken. */
  alert: string;
}

// #region derivation
interface BenchFile {
  environment: { date: string };
  metrics: Record<string, { value: number; unit: string }>;
}
const BENCH = benchResults as unknown as BenchFile;

function measured(name: string): number {
  const metric = BENCH.metrics[name];
  if (!metric) throw new Error(`site/data/bench-results.json has no metric ${name}; run npm run bench -- service`);
  return metric.value;
}

/** Latency baselines sit this many times above what the load run measured. */
export const LATENCY_HEADROOM = 10;
/** The cache floor sits at this share of the hit rate the load run measured (rounded down to 5 %). */
export const CACHE_FLOOR_SHARE = 0.8;

/** The smallest histogram bucket edge at or above `seconds`, so histogram_quantile is exact at the threshold. */
const edgeAtOrAbove = (seconds: number, edges: readonly number[]) =>
  edges.find((edge) => edge >= seconds - 1e-12) ?? edges[edges.length - 1]!;

export interface Derivation {
  id: BaselineId;
  /** The metric in site/data/bench-results.json, or undefined for a policy with no measurement behind it. */
  source?: string;
  measured?: number;
  /** How the threshold follows from the measurement, in words, for the monitoring page. */
  rule: string;
}

export const MEASURED_ON = BENCH.environment.date;

export const DERIVATIONS: Record<BaselineId, Derivation> = {
  responseTimeP95: {
    id: 'responseTimeP95',
    source: 'service.serverP95ResponseMs',
    measured: measured('service.serverP95ResponseMs'),
    rule: `${LATENCY_HEADROOM}× the p95 the service's own histogram measured in the load run, rounded up to the next bucket edge`,
  },
  queryTimeP95: {
    id: 'queryTimeP95',
    source: 'service.queryP95Ms',
    measured: measured('service.queryP95Ms'),
    rule: `${LATENCY_HEADROOM}× the query p95 measured in the load run, rounded up to the next bucket edge`,
  },
  cacheHitRate: {
    id: 'cacheHitRate',
    source: 'service.cacheHitRatePercent',
    measured: measured('service.cacheHitRatePercent'),
    rule: `${CACHE_FLOOR_SHARE * 100} % of the hit rate the load run measured for its request mix (product pages and lists, skewed to popular items, after a warm-up), rounded down to a multiple of 5 %`,
  },
  errorRate: {
    id: 'errorRate',
    source: 'service.errorRatePercent',
    measured: measured('service.errorRatePercent'),
    rule: 'a policy, not a measurement: the load run saw no errors, so no multiple of it can set a limit; the threshold is the share of failed requests the team accepts before paging',
  },
};

const RESPONSE_P95 = edgeAtOrAbove((DERIVATIONS.responseTimeP95.measured! / 1000) * LATENCY_HEADROOM, HTTP_BUCKETS_SECONDS);
const QUERY_P95 = edgeAtOrAbove((DERIVATIONS.queryTimeP95.measured! / 1000) * LATENCY_HEADROOM, QUERY_BUCKETS_SECONDS);
const CACHE_FLOOR = (Math.floor((DERIVATIONS.cacheHitRate.measured! * CACHE_FLOOR_SHARE) / 5) * 5) / 100;
// #endregion derivation

// #region baselines
export const BASELINES: readonly Baseline[] = [
  {
    id: 'responseTimeP95',
    title: 'p95 response time',
    healthyWhen: 'below',
    threshold: RESPONSE_P95,
    unit: 'seconds',
    meaning: '95 % of HTTP requests to the Storefront API (health checks and scrapes excluded) are answered faster than this.',
    alert: 'StorefrontHighResponseTime',
  },
  {
    id: 'queryTimeP95',
    title: 'p95 query time',
    healthyWhen: 'below',
    threshold: QUERY_P95,
    unit: 'seconds',
    meaning: '95 % of the SQL queries the service sends to PostgreSQL return faster than this.',
    alert: 'StorefrontSlowQueries',
  },
  {
    id: 'cacheHitRate',
    title: 'cache hit rate',
    healthyWhen: 'above',
    threshold: CACHE_FLOOR,
    unit: 'ratio',
    meaning: 'The share of repository reads answered from the read-through cache instead of the database.',
    alert: 'StorefrontLowCacheHitRate',
  },
  {
    id: 'errorRate',
    title: 'error rate',
    healthyWhen: 'below',
    threshold: 0.01,
    unit: 'ratio',
    meaning: 'The share of API requests answered with a 5xx status.',
    alert: 'StorefrontHighErrorRate',
  },
];
// #endregion baselines

// #region database-limits
/** Limits for the database alerts (postgres_exporter metrics). Reviewed with the baselines each quarter. */
export const DATABASE_LIMITS = {
  /** Share of the usable connections (max_connections minus superuser_reserved_connections) in use. */
  connectionsUsedRatio: 0.9,
  /** The oldest open transaction, in seconds. */
  longTransactionSeconds: 300,
  /** The longest a session may wait for a lock before on-call is told (pg_locks.waitstart). */
  lockWaitSeconds: 30,
  /** Buffer-cache hit ratio below which reads are going to disk. */
  bufferCacheHitRatio: 0.95,
  /** A database reading fewer blocks per second than this is idle (template1, a quiet admin database): its ratio is noise. */
  bufferCacheMinBlocksPerSecond: 50,
  /** Dead tuples as a share of a table's live + dead tuples. */
  deadTupleRatio: 0.1,
  /** Tables with fewer dead tuples than this are ignored: autovacuum handles small tables on its own. */
  deadTupleMinimum: 1000,
  /** WAL kept on disk for a replication slot nobody is reading from. */
  slotRetainedWalBytes: 1024 ** 3,
  /** Total size of pg_wal; past this, something is holding WAL back (a slot, a failing archive_command). */
  walDirectoryBytes: 4 * 1024 ** 3,
} as const;
// #endregion database-limits

export function baseline(id: BaselineId): Baseline {
  const found = BASELINES.find((entry) => entry.id === id);
  if (!found) throw new Error(`unknown baseline ${id}`);
  return found;
}

/** "< 1 s", "> 70 %": how the docs and the dashboard write a threshold. */
export function formatThreshold(entry: Pick<Baseline, 'healthyWhen' | 'threshold' | 'unit'>): string {
  const sign = entry.healthyWhen === 'below' ? '<' : '>';
  return `${sign} ${formatValue(entry.threshold, entry.unit)}`;
}

export function formatValue(value: number, unit: Baseline['unit']): string {
  if (unit === 'ratio') return `${Number((value * 100).toFixed(2))} %`;
  return value >= 1 ? `${Number(value.toFixed(3))} s` : `${Number((value * 1000).toFixed(1))} ms`;
}

/** True when a measured value meets its baseline (the load run and the docs use this). */
export function meetsBaseline(id: BaselineId, value: number): boolean {
  const entry = baseline(id);
  return entry.healthyWhen === 'below' ? value < entry.threshold : value > entry.threshold;
}
