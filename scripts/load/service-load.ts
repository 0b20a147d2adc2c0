// A bounded load run against the Storefront HTTP service on loopback:
// `npm run bench -- service` calls runServiceLoad and files the figures with
// the other benchmark results. Bounded twice: a fixed number of requests, and a
// wall-clock limit that stops autocannon even if the service hangs.
//   node scripts/load/service-load.ts [--quick]
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { resolveDatabase } from '../../lib/db/resolve-database.ts';
import { withDatabaseName } from '../../lib/db/connect.ts';
import { createRandom } from '../../snippets/app/random.ts';
import { seedSizes } from '../../snippets/app/seed.ts';
import { prepareServiceDatabase } from '../service/prepare-database.ts';
import { startStorefrontService } from '../../snippets/service/storefront-service.ts';
import { histogramQuantile, parseMetrics, sumOf, type Sample } from './read-metrics.ts';
import { BASELINES, meetsBaseline, type BaselineId } from '../../monitoring/baselines.ts';

// autocannon ships no types; this is the part of its API the run uses.
interface AutocannonResult {
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
  on(event: 'done', listener: () => void): void;
  stop(): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface ServiceLoadOptions {
  quick: boolean;
  /** A migrated, seeded database to use as is (tests pass their clone). Default: a fresh one on the resolver's server. */
  databaseUrl?: string;
  /** Overrides the request count (tests use a tiny one). */
  requests?: number;
}

const SIZES = {
  quick: { requests: 1500, connections: 4, maxSeconds: 20 },
  full: { requests: 20_000, connections: 16, maxSeconds: 90 },
};
const SEED = { seed: 42, scale: 1 };

/**
 * The request mix: mostly product pages and lists, some category and order pages.
 * Ids are skewed towards low numbers (a few popular items), like real traffic,
 * and drawn from a seeded PRNG so two runs send the same requests.
 */
export function requestPaths(count: number, seed = 7): string[] {
  const random = createRandom(seed);
  const sizes = seedSizes(SEED.scale);
  const skewed = (max: number) => 1 + Math.floor(max * random.next() ** 3);
  const paths: string[] = [];
  for (let index = 0; index < count; index++) {
    const roll = random.next();
    if (roll < 0.45) paths.push(`/products/${skewed(sizes.products)}`);
    else if (roll < 0.65) paths.push(`/products?limit=20&category=${skewed(sizes.categories)}`);
    else if (roll < 0.75) paths.push(`/categories/${skewed(sizes.categories)}/path`);
    else if (roll < 0.85) paths.push(`/categories/${skewed(40)}/subtree`);
    else if (roll < 0.95) paths.push(`/customers/${skewed(sizes.customers)}/orders`);
    else paths.push('/top-products?limit=10');
  }
  return paths;
}

async function load(url: string, paths: string[], connections: number, maxSeconds: number) {
  let next = 0;
  const latencies: number[] = [];
  let serverErrors = 0;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: paths.length,
        timeout: 10,
        requests: [{ setupRequest: (request: object) => ({ ...request, path: paths[next++ % paths.length]! }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode >= 500) serverErrors++;
    });
    const limit = setTimeout(() => instance.stop(), maxSeconds * 1000);
    instance.on('done', () => clearTimeout(limit));
  });
  return { result, latencies, serverErrors };
}

/** Counters and histogram buckets accumulated during the measured run only. */
function subtract(after: Sample[], before: Sample[]): Sample[] {
  const key = (sample: Sample) => `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
  const earlier = new Map(before.map((sample) => [key(sample), sample.value]));
  return after.map((sample) => ({ ...sample, value: sample.value - (earlier.get(key(sample)) ?? 0) }));
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function runServiceLoad(options: ServiceLoadOptions): Promise<Record<string, number | string>> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const total = options.requests ?? size.requests;

  let databaseUrl = options.databaseUrl;
  let cleanup = async () => {};
  if (!databaseUrl) {
    const server = await resolveDatabase({ log: () => {} });
    const name = `handbook_service_load_${randomBytes(4).toString('hex')}`;
    const maintenanceUrl = withDatabaseName(server.url, 'postgres');
    cleanup = async () => {
      const admin = new pg.Client({ connectionString: maintenanceUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`).finally(() => admin.end());
      await server.stop();
    };
    try {
      databaseUrl = (await prepareServiceDatabase(maintenanceUrl, name, SEED)).url;
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  const service = await startStorefrontService({ databaseUrl, port: 0, host: '127.0.0.1', poolSize: 10 });
  try {
    const readMetrics = async () => parseMetrics(await (await fetch(`${service.url}/metrics`)).text());
    // Warm-up: the baselines describe a service in steady state, not one with an empty cache.
    // A fifth as many requests, same mix, different draw; not measured.
    await load(service.url, requestPaths(Math.ceil(total / 5), 99), size.connections, size.maxSeconds);
    const before = await readMetrics();

    const started = performance.now();
    const { result, latencies, serverErrors } = await load(service.url, requestPaths(total), size.connections, size.maxSeconds);
    const elapsedMs = performance.now() - started;
    const samples = subtract(await readMetrics(), before);
    const hits = sumOf(samples, 'storefront_cache_hits_total');
    const misses = sumOf(samples, 'storefront_cache_misses_total');
    const failed = serverErrors + result.errors + result.timeouts;
    const sent = latencies.length + result.errors + result.timeouts;
    latencies.sort((a, b) => a - b);

    const measured: Record<BaselineId, number> = {
      responseTimeP95: percentile(latencies, 0.95) / 1000,
      queryTimeP95: histogramQuantile(samples, 'storefront_db_query_duration_seconds', 0.95) ?? NaN,
      cacheHitRate: hits + misses ? hits / (hits + misses) : NaN,
      errorRate: sent ? failed / sent : NaN,
    };
    const breaches = BASELINES.filter((entry) => !meetsBaseline(entry.id, measured[entry.id])).map((entry) => entry.id);

    return {
      requests: sent,
      connections: size.connections,
      durationMs: round(elapsedMs, 0),
      requestsPerSecond: round(sent / (elapsedMs / 1000), 0),
      p50ResponseMs: round(percentile(latencies, 0.5)),
      p95ResponseMs: round(measured.responseTimeP95 * 1000),
      // From the service's own histogram, as Prometheus would compute it (bucket interpolation).
      serverP95ResponseMs: round(
        (histogramQuantile(samples, 'storefront_http_request_duration_seconds', 0.95, (labels) => labels.route !== '/metrics') ?? NaN) *
          1000,
      ),
      queryP95Ms: round(measured.queryTimeP95 * 1000),
      cacheHitRatePercent: round(measured.cacheHitRate * 100, 1),
      errorRatePercent: round(measured.errorRate * 100, 3),
      baselineBreaches: breaches.length ? breaches.join(', ') : 'none',
    };
  } finally {
    await service.close();
    await cleanup();
  }
}

if (import.meta.main) {
  const figures = await runServiceLoad({ quick: process.argv.includes('--quick') });
  console.table(figures);
}
