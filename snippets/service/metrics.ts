// The Storefront's Prometheus metrics, on a registry of their own so that two
// services in one process (tests, the load run) never share or clobber counters.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogEvent } from 'kysely';
import type pg from 'pg';
import type { StorefrontRepository } from '../app/storefront-repository.ts';

import { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS } from './histogram-buckets.ts';

export { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS };

export interface StorefrontMetrics {
  registry: Registry;
  queryDuration: Histogram<'operation' | 'statement' | 'outcome' | 'data_layer'>;
  cacheHits: Counter<'cache'>;
  cacheMisses: Counter<'cache'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpErrors: Counter<'method' | 'route'>;
  shadowReads: Counter<'method' | 'outcome'>;
  shadowMismatches: Counter<'method' | 'kind'>;
  retries: Counter<'sqlstate'>;
  invalidationsReceived: Counter;
  invalidationDelay: Histogram;
  invalidationPublishErrors: Counter;
  cacheListenerUp: Gauge;
}

export function createStorefrontMetrics(options: { defaultMetrics?: boolean } = {}): StorefrontMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    // #region metric-names
    queryDuration: new Histogram({
      name: 'storefront_db_query_duration_seconds',
      help: 'Time from sending a query to PostgreSQL until its result (or error) arrived.',
      // data_layer: legacy or kysely (none for the service's own queries), so the dashboard
      // can put both layers' latency side by side during the rollout.
      labelNames: ['operation', 'statement', 'outcome', 'data_layer'],
      buckets: QUERY_BUCKETS_SECONDS,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'storefront_cache_hits_total',
      help: 'Repository reads answered from the cache.',
      labelNames: ['cache'],
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'storefront_cache_misses_total',
      help: 'Repository reads the cache had to load from the database.',
      labelNames: ['cache'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'storefront_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS_SECONDS,
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'storefront_http_request_errors_total',
      help: 'HTTP requests answered with a 5xx status: the numerator of the error-rate baseline.',
      labelNames: ['method', 'route'],
      registers: [registry],
    }),
    // #endregion metric-names
    // #region rollout-metrics
    shadowReads: new Counter({
      name: 'storefront_shadow_reads_total',
      help: 'Shadow reads in the shadow stage, by repository method and outcome (match, mismatch, shadow-error, timeout).',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    shadowMismatches: new Counter({
      name: 'storefront_shadow_mismatches_total',
      help: 'Shadow reads whose Kysely answer differed from legacy, by method and kind of difference (row-count, value, missing).',
      labelNames: ['method', 'kind'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'storefront_db_retries_total',
      help: 'Transactions run again after a serialization failure (40001) or a deadlock (40P01).',
      labelNames: ['sqlstate'],
      registers: [registry],
    }),
    invalidationsReceived: new Counter({
      name: 'storefront_cache_invalidations_received_total',
      help: 'Cache invalidations received from other instances over LISTEN/NOTIFY.',
      registers: [registry],
    }),
    invalidationDelay: new Histogram({
      name: 'storefront_cache_invalidation_delay_seconds',
      help: "From a writer's NOTIFY to this instance dropping the keys (clocks of both hosts must agree).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    invalidationPublishErrors: new Counter({
      name: 'storefront_cache_invalidation_publish_errors_total',
      help: 'Writes whose NOTIFY failed: other instances keep the old answer until the TTL.',
      registers: [registry],
    }),
    cacheListenerUp: new Gauge({
      name: 'storefront_cache_listener_up',
      help: '1 while the LISTEN connection is up; 0 means this instance is serving uncached.',
      registers: [registry],
    }),
    // #endregion rollout-metrics
  };
}

// #region query-timing
/** Which repository method is running, so every query it sends is labelled with it. */
const currentOperation = new AsyncLocalStorage<string>();
/** Which implementation is running it (set by the rollout router). */
const currentLayer = new AsyncLocalStorage<string>();

export function inDataLayer<T>(layer: string, work: () => Promise<T>): Promise<T> {
  return currentLayer.run(layer, work);
}

/**
 * A Kysely `log` hook: Kysely calls it after every query with its measured
 * duration, so no query can be missed by forgetting to time it.
 */
export function queryTimer(metrics: StorefrontMetrics): (event: LogEvent) => void {
  return (event) => {
    metrics.queryDuration.observe(
      {
        operation: currentOperation.getStore() ?? 'none',
        statement: statementOf(event.query.query.kind),
        outcome: event.level === 'error' ? 'error' : 'ok',
        data_layer: currentLayer.getStore() ?? 'none',
      },
      event.queryDurationMillis / 1000,
    );
  };
}

function statementOf(kind: string): string {
  // SelectQueryNode -> select; RawNode (sql`...`) -> raw.
  return kind.replace(/QueryNode$|Node$/, '').toLowerCase() || 'other';
}

/**
 * The legacy layer sends raw SQL through `pool.query`, which Kysely never sees.
 * Timing that one method keeps the query histogram honest when the data_layer
 * flag is switched back to legacy. (Its placeOrder transaction runs on a checked-out
 * client and is not timed here.)
 */
export function timePoolQueries(pool: pg.Pool, metrics: StorefrontMetrics): pg.Pool {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const timedQuery = async (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
    const labels = {
      operation: currentOperation.getStore() ?? 'none',
      statement: text.trimStart().split(/\s/, 1)[0]!.toLowerCase() || 'other',
      data_layer: currentLayer.getStore() ?? 'none',
    };
    const started = performance.now();
    try {
      const result = await query(...args);
      metrics.queryDuration.observe({ ...labels, outcome: 'ok' }, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      metrics.queryDuration.observe({ ...labels, outcome: 'error' }, (performance.now() - started) / 1000);
      throw error;
    }
  };
  return Object.assign(pool, { query: timedQuery });
}

/** Runs each repository call inside a named operation, for the query histogram's label. */
export function labelOperations<R extends StorefrontRepository>(repo: R): R {
  const labelled = { ...repo };
  for (const [name, method] of Object.entries(repo) as [keyof StorefrontRepository, unknown][]) {
    if (typeof method !== 'function') continue;
    Object.assign(labelled, { [name]: (...args: unknown[]) => currentOperation.run(name, () => Reflect.apply(method, repo, args)) });
  }
  return labelled;
}
// #endregion query-timing

// #region cache-events
/** Cache events as counters, labelled by key family ("product:42" counts as "product"). */
export function cacheCounters(metrics: StorefrontMetrics) {
  const family = (key: string) => key.split(':', 1)[0] || 'other';
  return {
    onHit: (key: string) => metrics.cacheHits.inc({ cache: family(key) }),
    onMiss: (key: string) => metrics.cacheMisses.inc({ cache: family(key) }),
  };
}
// #endregion cache-events
