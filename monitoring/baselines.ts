// The service-level baselines, defined once. The Prometheus alert rules, the
// Grafana dashboard, the promtool unit tests and the tables on the support pages
// are all generated from (or checked against) this file: change a number here,
// run `npm run monitoring:generate`, and every one of them follows.

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

// #region baselines
export const BASELINES: readonly Baseline[] = [
  {
    id: 'responseTimeP95',
    title: 'p95 response time',
    healthyWhen: 'below',
    threshold: 1,
    unit: 'seconds',
    meaning: '95 % of HTTP requests to the Storefront API (health checks and scrapes excluded) are answered faster than this.',
    alert: 'StorefrontHighResponseTime',
  },
  {
    id: 'queryTimeP95',
    title: 'p95 query time',
    healthyWhen: 'below',
    threshold: 0.1,
    unit: 'seconds',
    meaning: '95 % of the SQL queries the service sends to PostgreSQL return faster than this.',
    alert: 'StorefrontSlowQueries',
  },
  {
    id: 'cacheHitRate',
    title: 'cache hit rate',
    healthyWhen: 'above',
    threshold: 0.7,
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
  /** Locks held in one database. */
  locksPerDatabase: 200,
  /** Buffer-cache hit ratio below which reads are going to disk. */
  bufferCacheHitRatio: 0.95,
  /** Dead tuples as a share of a table's live + dead tuples. */
  deadTupleRatio: 0.1,
  /** Tables with fewer dead tuples than this are ignored: autovacuum handles small tables on its own. */
  deadTupleMinimum: 1000,
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
