import { register as globalRegister } from 'prom-client';
import { afterAll, describe, expect } from 'vitest';
import { test, emptyDatabase } from '../../harness/database.ts';
import { freePort } from '../../../lib/free-port.ts';
import { withDatabaseName } from '../../../lib/db/connect.ts';
import { startStorefrontService, type StorefrontService } from '../../../snippets/service/storefront-service.ts';
import { histogramQuantile, parseMetrics, sumOf } from '../../../scripts/load/read-metrics.ts';

async function get(service: StorefrontService, path: string) {
  const response = await fetch(`${service.url}${path}`);
  return {
    status: response.status,
    body: response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text(),
  };
}

async function metrics(service: StorefrontService) {
  return parseMetrics(await (await fetch(`${service.url}/metrics`)).text());
}

describe('the Storefront HTTP service on a migrated, seeded database', () => {
  let service: StorefrontService;
  test.beforeAll(async ({ database }) => {
    service = await startStorefrontService({ databaseUrl: database.url, port: 0, poolSize: 3 });
  });
  afterAll(async () => {
    await service?.close();
  });

  test('listens on loopback only', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('serves the catalogue endpoints', async () => {
    const list = await get(service, '/products?limit=3');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    const first = (list.body as { id: number; categoryId: number }[])[0]!;
    expect((await get(service, `/products/${first.id}`)).body).toEqual(first);
    const path = await get(service, `/categories/${first.categoryId}/path`);
    expect(path.status).toBe(200);
    expect((path.body as { id: number }[]).at(-1)!.id).toBe(first.categoryId);
    expect((await get(service, '/top-products?limit=2')).body).toHaveLength(2);
  });

  test('answers 400 for a malformed id and 404 for a missing product', async () => {
    expect((await get(service, '/products/abc')).status).toBe(400);
    expect((await get(service, '/products/99999999')).status).toBe(404);
    expect((await get(service, '/nowhere')).status).toBe(404);
  });

  test("places an order and shows it in the customer's order history", async () => {
    const product = ((await get(service, '/products?limit=1&inStock=true')).body as { id: number }[])[0]!;
    const response = await fetch(`${service.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 1, lines: [{ productId: product.id, quantity: 1 }] }),
    });
    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: number };
    const history = (await get(service, '/customers/1/orders')).body as { id: number }[];
    expect(history.map((entry) => entry.id)).toContain(order.id);
  });

  test('changes a price with PATCH, answers 400 for a bad price and 404 for a missing product, and names the process', async () => {
    const patch = (id: string, body: unknown) =>
      fetch(`${service.url}/products/${id}`, { method: 'PATCH', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
        instance: r.headers.get('x-storefront-instance'),
      }));
    const changed = await patch('6', { priceCents: 1234 });
    expect(changed).toMatchObject({ status: 200, body: { id: 6, priceCents: 1234 }, instance: String(process.pid) });
    expect((await get(service, '/products/6')).body).toMatchObject({ priceCents: 1234 });
    expect(await patch('6', { priceCents: -1 })).toMatchObject({
      status: 400,
      body: { error: 'priceCents must be a whole number of cents, 0 or more' },
    });
    expect(await patch('6', { priceCents: 12.5 })).toMatchObject({ status: 400 });
    expect(await patch('999999', { priceCents: 100 })).toMatchObject({ status: 404 });
  });

  test('/healthz reports a reachable database with every migration applied', async () => {
    const health = await get(service, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'ok',
      database: 'reachable',
      dataLayer: 'legacy',
      schema: { state: 'current', pending: [], unknown: [] },
      migrations: { current: true, pending: [] },
    });
  });

  test('labels every query with the repository operation that sent it', async () => {
    await get(service, '/customers/2/orders');
    const samples = await metrics(service);
    const count = (operation: string) =>
      sumOf(samples, 'storefront_db_query_duration_seconds_count', (labels) => labels.operation === operation);
    expect(count('listCustomerOrders')).toBeGreaterThan(0);
    expect(count('listProducts')).toBeGreaterThan(0);
    expect(histogramQuantile(samples, 'storefront_db_query_duration_seconds', 0.95)).toBeGreaterThan(0);
  });

  test('counts a repeated read as a cache hit and the first one as a miss', async () => {
    const before = await metrics(service);
    await get(service, '/categories/1/subtree');
    await get(service, '/categories/1/subtree');
    const after = await metrics(service);
    const delta = (name: string) =>
      sumOf(after, name, (labels) => labels.cache === 'category-subtree') -
      sumOf(before, name, (labels) => labels.cache === 'category-subtree');
    expect(delta('storefront_cache_misses_total')).toBe(1);
    expect(delta('storefront_cache_hits_total')).toBe(1);
  });

  test('records HTTP duration by route pattern, not by concrete id', async () => {
    const samples = await metrics(service);
    const routes = new Set(
      samples.filter((sample) => sample.name === 'storefront_http_request_duration_seconds_count').map((sample) => sample.labels.route),
    );
    expect(routes).toContain('/products/:id');
    expect([...routes].some((route) => /\d/.test(route!))).toBe(false);
  });

  test('keeps its metrics on its own registry, not the prom-client global one', async () => {
    expect(await globalRegister.getSingleMetricAsString('storefront_http_request_duration_seconds').catch(() => undefined)).toBeUndefined();
    expect(service.metrics.registry).not.toBe(globalRegister);
  });
});

describe('the Storefront HTTP service when the database is not ready', () => {
  test('/healthz answers 503 and lists the pending migrations on an unmigrated database, and requests count as errors', async () => {
    const empty = await emptyDatabase();
    const service = await startStorefrontService({ databaseUrl: empty.url, port: 0, poolSize: 2 });
    try {
      const health = await get(service, '/healthz');
      expect(health.status).toBe(503);
      const body = health.body as { database: string; schema: { state: string }; migrations: { current: boolean; pending: string[] } };
      expect(body.database).toBe('reachable');
      expect(body.schema.state).toBe('behind');
      expect(body.migrations.current).toBe(false);
      expect(body.migrations.pending.length).toBeGreaterThan(0);

      expect((await get(service, '/products/1')).status).toBe(500);
      const samples = await metrics(service);
      expect(sumOf(samples, 'storefront_http_request_errors_total', (labels) => labels.route === '/products/:id')).toBe(1);
      expect(sumOf(samples, 'storefront_db_query_duration_seconds_count', (labels) => labels.outcome === 'error')).toBeGreaterThan(0);
    } finally {
      await service.close();
      await empty.drop();
    }
  });

  test('/healthz answers 503 when PostgreSQL cannot be reached', async ({ database }) => {
    // A port nothing listens on: the connection is refused at once.
    const deadUrl = new URL(withDatabaseName(database.url, database.name));
    deadUrl.port = String(await freePort());
    const service = await startStorefrontService({ databaseUrl: deadUrl.toString(), port: 0, poolSize: 1 });
    try {
      const health = await get(service, '/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unhealthy', database: 'unreachable', migrations: 'unknown' });
    } finally {
      await service.close();
    }
  });
});
