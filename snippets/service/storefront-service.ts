// A small HTTP service over the Storefront repositories: the thing the alerts,
// the dashboard and the load run observe. node:http only, so every line of the
// request path is visible here.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { createPool } from '../setup/create-database.ts';
import type { Database } from '../app/database.ts';
import { readDataLayerFlag } from '../app/data-layer-switch.ts';
import { createMigrator } from '../app/migrate.ts';
import { BASELINE_MIGRATIONS } from '../app/migrations/index.ts';
import { DatabaseOutcomeError, classifyDatabaseError } from '../app/database-errors.ts';
import { OutOfStockError, type DataLayer, type StorefrontRepository } from '../app/storefront-repository.ts';
import { createCachedStorefront } from '../caching/cached-storefront.ts';
import { listenForInvalidations, publishInvalidation, type Listener } from '../caching/invalidation-channel.ts';
import { createRolloutStorefront, type RolloutStorefront } from '../rollout/method-rollout.ts';
import { READ_METHODS, type ShadowReport } from '../rollout/shadow-read.ts';
import {
  cacheCounters,
  createStorefrontMetrics,
  inDataLayer,
  labelOperations,
  queryTimer,
  timePoolQueries,
  type StorefrontMetrics,
} from './metrics.ts';

export interface StorefrontServiceOptions {
  databaseUrl: string;
  /** 0 picks a free port; tests and the load run use that. */
  port?: number;
  /** Loopback by default: exposing the service is a deliberate choice. */
  host?: string;
  cacheTtlMs?: number;
  poolSize?: number;
  /** Also export Node.js process metrics (event loop lag, heap); `npm run serve` turns this on. */
  defaultMetrics?: boolean;
  /**
   * A direct connection for the cache listener. LISTEN needs a session of its own, which a
   * transaction pooler cannot give: when databaseUrl points at PgBouncer, this must not.
   */
  listenUrl?: string;
  /** Fraction of reads shadowed in the shadow stage (0 to 1). */
  shadowSampleRate?: number;
  /** A shadow read slower than this counts as a timeout. */
  shadowTimeoutMs?: number;
  /** Builds the Kysely implementation on the service's instrumented instance (tests plant a conversion bug). */
  kysely?: (db: Kysely<Database>) => StorefrontRepository;
  /** Where shadow mismatches are logged: one JSON line each, with keys and paths, never values. */
  log?: (line: string) => void;
  /** Called with each received invalidation's delay in ms (the measurement uses it). */
  onInvalidationDelay?: (ms: number) => void;
}

export interface StorefrontService {
  url: string;
  metrics: StorefrontMetrics;
  /** The cache listener, for drills (drop its connection) and tests. */
  listener: Listener;
  storefront: RolloutStorefront;
  close(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  database: 'reachable' | 'unreachable';
  /** The layer requests are served by now (the data_layer flag). */
  dataLayer?: DataLayer;
  /**
   * current: every migration this build knows is applied. behind: one the serving layer needs is not
   * (unhealthy). rolled-back: only migrations the legacy layer does not need are undone and the flag
   * says legacy (the rollback runbook's end state; healthy). ahead: a newer release applied migrations
   * this build does not know (healthy: migrations are additive, so older code keeps working).
   */
  schema?: { state: 'current' | 'behind' | 'rolled-back' | 'ahead'; pending: string[]; unknown: string[] };
  migrations: { current: boolean; pending: string[] } | 'unknown';
  error?: string;
}

class BadRequest extends Error {}

type Handler = (params: string[], url: URL, request: IncomingMessage) => Promise<unknown>;
interface Route {
  method: string;
  /** The label in the metrics: a pattern, never a concrete id, so label cardinality stays small. */
  route: string;
  pattern: RegExp;
  handler: Handler;
}

export async function startStorefrontService(options: StorefrontServiceOptions): Promise<StorefrontService> {
  const metrics = createStorefrontMetrics({ defaultMetrics: options.defaultMetrics });
  const log = options.log ?? ((line: string) => console.error(line));
  // The guide's pool: its timeouts live on the role (applySessionDefaults), so they hold through PgBouncer too.
  const pool = timePoolQueries(createPool(options.databaseUrl, { max: options.poolSize ?? 10 }), metrics);
  // #region instrumented-kysely
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryTimer(metrics) });
  const requestKey = new AsyncLocalStorage<string | undefined>();
  const rollout = createRolloutStorefront({
    pool,
    db,
    kysely: options.kysely?.(db),
    requestKey: () => requestKey.getStore(),
    inLayer: inDataLayer,
    retry: { onRetry: (_attempt, error) => metrics.retries.inc({ sqlstate: String((error as { code?: string }).code) }) },
    shadow: {
      sampleRate: options.shadowSampleRate ?? 0.1,
      timeoutMs: options.shadowTimeoutMs ?? 500,
      report: (report) => reportShadow(report, metrics, log),
    },
  });
  const cached = createCachedStorefront(rollout, {
    ttlMs: options.cacheTtlMs ?? 30_000,
    maxEntries: 10_000,
    events: cacheCounters(metrics),
    publish: (invalidation) => publishInvalidation(pool, invalidation),
    onPublishError: () => metrics.invalidationPublishErrors.inc(),
  });
  const storefront = labelOperations(cached);
  // #endregion instrumented-kysely

  // #region cache-listener
  // Until LISTEN is active this instance cannot hear other instances' writes: serve uncached.
  cached.suspend();
  const listener = listenForInvalidations({
    connectionString: options.listenUrl ?? options.databaseUrl,
    onInvalidate: (invalidation) => {
      cached.applyInvalidation(invalidation);
      metrics.invalidationsReceived.inc();
      if (invalidation.sentAt) {
        const delayMs = performance.timeOrigin + performance.now() - invalidation.sentAt;
        metrics.invalidationDelay.observe(delayMs / 1000);
        options.onInvalidationDelay?.(delayMs);
      }
    },
    onDisconnect: () => {
      metrics.cacheListenerUp.set(0);
      cached.suspend();
    },
    onConnect: () => {
      cached.resume();
      metrics.cacheListenerUp.set(1);
    },
    log,
  });
  // #endregion cache-listener
  // Start caching from the first request when PostgreSQL answers quickly; never block start-up on it.
  await Promise.race([listener.ready, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);

  const routes = storefrontRoutes(storefront);
  // A counter nobody has incremented is absent, and rate() of an absent series is silent:
  // every error series starts at 0, so the error-rate alert works before the first 5xx.
  for (const route of routes) metrics.httpErrors.inc({ method: route.method, route: route.route }, 0);
  // Same for shadow mismatches: increase() needs a sample before the first mismatch, or one
  // mismatch alone never fires StorefrontShadowMismatches (the alert-loop test found it absent).
  for (const method of READ_METHODS)
    for (const kind of ['row-count', 'missing', 'value']) metrics.shadowMismatches.inc({ method, kind }, 0);
  const server = createServer((request, response) => {
    // The canary's request key: the customer, when the client says who it is.
    const key = (request.headers['x-customer-id'] as string | undefined) ?? /^\/customers\/(\d+)\//.exec(request.url ?? '')?.[1];
    void requestKey.run(key, () => handle(request, response));
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://storefront.invalid');
    const method = request.method ?? 'GET';
    let route = 'unmatched';
    let status: number;
    let body: unknown;
    let contentType = 'application/json';
    try {
      if (method === 'GET' && url.pathname === '/metrics') {
        route = '/metrics';
        contentType = metrics.registry.contentType;
        body = await metrics.registry.metrics();
        status = 200;
      } else if (method === 'GET' && url.pathname === '/healthz') {
        route = '/healthz';
        const report = await checkHealth(db);
        body = report;
        status = report.status === 'ok' ? 200 : 503;
      } else {
        const match = findRoute(routes, method, url.pathname);
        if (!match) {
          status = 404;
          body = { error: 'not found' };
        } else {
          route = match.route.route;
          const result = await match.route.handler(match.params, url, request);
          status = result === undefined ? 404 : match.route.method === 'POST' ? 201 : 200;
          body = result ?? { error: 'not found' };
        }
      }
    } catch (thrown) {
      // Either data layer can fail on a constraint or a timeout: the legacy one throws pg's
      // error as it is, the Kysely one has classified it already. Both answer the same way.
      const error = classifyDatabaseError(thrown);
      if (error instanceof BadRequest) {
        status = 400;
        body = { error: error.message };
      } else if (error instanceof OutOfStockError) {
        status = 409;
        body = { error: error.message, productId: error.productId };
      } else if (error instanceof DatabaseOutcomeError) {
        // #region outcome-status
        // The outcome decides the status; the SQL error text stays in the server log.
        status = error.status;
        body = { error: outcomeMessage(error), outcome: error.outcome };
        if (status === 503) response.setHeader('retry-after', '1');
        if (status >= 500)
          console.error(`[storefront] ${method} ${route}: ${error.outcome} (${error.sqlstate}) after ${error.attempts} attempt(s)`);
        // #endregion outcome-status
      } else {
        status = 500;
        // The message helps the operator; the stack stays in the server log.
        body = { error: error instanceof Error ? error.message : String(error) };
        console.error(`[storefront] ${method} ${route} failed:`, error);
      }
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    // Which process answered: with several instances behind one port, tests and on-call can tell.
    response.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'x-storefront-instance': String(process.pid),
    });
    response.end(text);
    // #region http-metrics
    const labels = { method, route, status_code: String(status) };
    metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    if (status >= 500) metrics.httpErrors.inc({ method, route });
    // #endregion http-metrics
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    metrics,
    listener,
    storefront: rollout,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await listener.close();
      await rollout.drainShadows();
      await db.destroy();
    },
  };
}

// #region healthz
/**
 * Healthy means: PostgreSQL answers, and the layer that serves requests has the schema it needs.
 * After a rollback (flag on legacy, a newer migration undone on purpose) the service stays healthy
 * and says so, instead of asking a load balancer to take every instance out.
 */
export async function checkHealth(db: Kysely<Database>, timeoutMs = 2000): Promise<HealthReport> {
  try {
    await withTimeout(sql`select 1`.execute(db), timeoutMs);
  } catch (error) {
    return { status: 'unhealthy', database: 'unreachable', migrations: 'unknown', error: errorText(error) };
  }
  const migrations = await withTimeout(createMigrator(db).getMigrations(), timeoutMs);
  const pending = migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
  const known = new Set(migrations.map((migration) => migration.name));
  const applied = await withTimeout(sql<{ name: string }>`select name from kysely_migration`.execute(db), timeoutMs).then(
    (result) => result.rows.map((row) => row.name),
    () => [] as string[],
  );
  const unknown = applied.filter((name) => !known.has(name));
  const dataLayer = await withTimeout(readDataLayerFlag(db), timeoutMs).catch(() => 'legacy' as const);
  // The legacy layer needs only the baseline schema; the Kysely layer needs every migration.
  const needed = pending.filter((name) => dataLayer === 'kysely' || BASELINE_MIGRATIONS.includes(name));
  const state = needed.length ? 'behind' : pending.length ? 'rolled-back' : unknown.length ? 'ahead' : 'current';
  return {
    status: state === 'behind' ? 'unhealthy' : 'ok',
    database: 'reachable',
    dataLayer,
    schema: { state, pending, unknown },
    migrations: { current: pending.length === 0, pending },
  };
}
// #endregion healthz

// #region shadow-report
function reportShadow(report: ShadowReport, metrics: StorefrontMetrics, log: (line: string) => void): void {
  metrics.shadowReads.inc({ method: report.method, outcome: report.outcome });
  if (report.outcome !== 'mismatch' || !report.difference) return;
  const [path, values] = report.difference.split(': ', 2) as [string, string];
  const kind = /items \(primary\)/.test(values) ? 'row-count' : /undefined/.test(values) ? 'missing' : 'value';
  metrics.shadowMismatches.inc({ method: report.method, kind });
  // Ids say which rows to replay; the values themselves (names, prices, a customer's orders) stay out of the log.
  const keys = report.args.filter((arg) => typeof arg === 'number');
  log(JSON.stringify({ event: 'shadow-mismatch', method: report.method, kind, keys, path }));
}
// #endregion shadow-report

function outcomeMessage(error: DatabaseOutcomeError): string {
  switch (error.outcome) {
    case 'conflict':
      return 'it already exists';
    case 'not-found':
      return `a referenced row does not exist${error.constraint ? ` (${error.constraint})` : ''}`;
    case 'retry':
      return `the database could not serialize this request after ${error.attempts} attempts; try again`;
    case 'timeout':
      return 'the database took too long; try again later';
    case 'lock-unavailable':
      return 'the data is being changed by someone else; try again';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return errorText(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

function findRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1) };
  }
  return undefined;
}

// #region routes
function storefrontRoutes(storefront: StorefrontRepository): Route[] {
  return [
    {
      method: 'GET',
      route: '/products',
      pattern: /^\/products\/?$/,
      handler: (_, url) => storefront.listProducts(productFilter(url), page(url)),
    },
    {
      method: 'GET',
      route: '/products/:id',
      pattern: /^\/products\/([^/]+)$/,
      handler: ([id]) => storefront.getProduct(positiveInt(id, 'product id')),
    },
    {
      method: 'GET',
      route: '/categories/:id/subtree',
      pattern: /^\/categories\/([^/]+)\/subtree$/,
      handler: ([id]) => nonEmpty(storefront.getCategorySubtree(positiveInt(id, 'category id'))),
    },
    {
      method: 'GET',
      route: '/categories/:id/path',
      pattern: /^\/categories\/([^/]+)\/path$/,
      handler: ([id]) => nonEmpty(storefront.getCategoryPath(positiveInt(id, 'category id'))),
    },
    {
      method: 'GET',
      route: '/customers/:id/orders',
      pattern: /^\/customers\/([^/]+)\/orders$/,
      handler: ([id]) => storefront.listCustomerOrders(positiveInt(id, 'customer id')),
    },
    {
      method: 'GET',
      route: '/top-products',
      pattern: /^\/top-products$/,
      handler: (_, url) => storefront.topSellingProducts(optionalInt(url, 'limit', 1, 100) ?? 10),
    },
    {
      method: 'POST',
      route: '/orders',
      pattern: /^\/orders$/,
      handler: async (_, __, request) => storefront.placeOrder(newOrder(await readJson(request))),
    },
    {
      method: 'PATCH',
      route: '/products/:id',
      pattern: /^\/products\/([^/]+)$/,
      handler: async ([id], __, request) => storefront.updateProductPrice(positiveInt(id, 'product id'), newPrice(await readJson(request))),
    },
  ];
}
// #endregion routes

async function nonEmpty<T>(rows: Promise<T[]>): Promise<T[] | undefined> {
  const result = await rows;
  return result.length ? result : undefined;
}

function positiveInt(value: string | undefined, what: string): number {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647)
    throw new BadRequest(`${what} must be a positive integer`);
  return Number(value);
}

function optionalInt(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new BadRequest(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function productFilter(url: URL) {
  return {
    categoryId: optionalInt(url, 'category', 1, 2_147_483_647),
    minPriceCents: optionalInt(url, 'minPrice', 0, 2_147_483_647),
    maxPriceCents: optionalInt(url, 'maxPrice', 0, 2_147_483_647),
    nameContains: url.searchParams.get('q') ?? undefined,
    inStockOnly: url.searchParams.get('inStock') === 'true' || undefined,
  };
}

function page(url: URL) {
  return { limit: optionalInt(url, 'limit', 1, 100) ?? 20, afterId: optionalInt(url, 'after', 0, 2_147_483_647) };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new BadRequest('request body is larger than 64 KiB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('request body must be JSON');
  }
}

function newPrice(body: unknown): number {
  const value = (body as { priceCents?: unknown } | null)?.priceCents;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 2_147_483_647)
    throw new BadRequest('priceCents must be a whole number of cents, 0 or more');
  return value as number;
}

/** A number or string from a JSON body as text for positiveInt; anything else is missing. */
function jsonId(value: unknown): string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
}

function newOrder(body: unknown) {
  const input = body as { customerId?: unknown; lines?: unknown };
  const customerId = positiveInt(jsonId(input?.customerId), 'customerId');
  if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 50)
    throw new BadRequest('lines must be a list of 1 to 50 items');
  const lines = input.lines.map((line: { productId?: unknown; quantity?: unknown }) => ({
    productId: positiveInt(jsonId(line?.productId), 'productId'),
    quantity: positiveInt(jsonId(line?.quantity), 'quantity'),
  }));
  return { customerId, lines };
}
