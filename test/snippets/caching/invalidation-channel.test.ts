// Several Storefront instances on one database: each has its own pool, cache and LISTEN
// connection (three real PostgreSQL sessions), nothing shared but PostgreSQL.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, test } from '../../harness/database.ts';
import { startStorefrontService, type StorefrontService } from '../../../snippets/service/storefront-service.ts';
import { freePort } from '../../../lib/free-port.ts';

const price = async (service: StorefrontService, id: number) =>
  ((await (await fetch(`${service.url}/products/${id}`)).json()) as { priceCents: number }).priceCents;
const setPrice = (service: StorefrontService, id: number, priceCents: number) =>
  fetch(`${service.url}/products/${id}`, { method: 'PATCH', body: JSON.stringify({ priceCents }) }).then((r) => r.status);

/** Waits for a condition, polled every 5 ms: how long the notification takes is what these tests are about. */
const until = (condition: () => Promise<boolean> | boolean, timeout = 5_000) => expect.poll(condition, { timeout, interval: 5 }).toBe(true);

describe('cache invalidation across instances with LISTEN/NOTIFY', () => {
  let instances: StorefrontService[] = [];
  const delays: number[] = [];

  afterAll(async () => {
    await Promise.all(instances.map((s) => s.close()));
  });

  test('a write through instance A is not served stale by B or C once the notification has arrived', async ({ database }) => {
    instances = await Promise.all(
      ['a', 'b', 'c'].map(() =>
        startStorefrontService({
          databaseUrl: database.url,
          cacheTtlMs: 60_000,
          poolSize: 3,
          onInvalidationDelay: (ms) => delays.push(ms),
        }),
      ),
    );
    await Promise.all(instances.map((s) => s.listener.ready));
    const [a, b, c] = instances as [StorefrontService, StorefrontService, StorefrontService];
    const original = await price(b, 7);
    await price(c, 7);
    // Proof that B really caches: a change made behind the service's back is not seen for 60 s.
    await database.pool.query('update products set price_cents = price_cents + 1 where id = 7');
    expect(await price(b, 7)).toBe(original);

    for (let round = 1; round <= 20; round++) {
      const received = delays.length;
      expect(await setPrice(a, 7, 10_000 + round)).toBe(200);
      // One NOTIFY per write reaches all three listeners (A's own included): wait for all three.
      await until(() => delays.length >= received + 3);
      expect(await price(b, 7)).toBe(10_000 + round);
      expect(await price(c, 7)).toBe(10_000 + round);
    }
    expect(delays.every((ms) => ms >= 0 && ms < 1_000)).toBe(true);
  });

  test('when B loses its LISTEN connection it serves uncached, reconnects, flushes and caches again', async ({ database }) => {
    const [a, b] = instances as [StorefrontService, StorefrontService];
    await price(b, 8);
    const killed = b.listener.pid();
    expect(killed).toBeGreaterThan(0);
    await database.pool.query('select pg_terminate_backend($1)', [killed]);
    await until(() => !b.listener.connected());
    // Disconnected: a write B cannot hear about is still not served stale by B.
    expect(await setPrice(a, 8, 4242)).toBe(200);
    expect(await price(b, 8)).toBe(4242);
    await database.pool.query('update products set price_cents = 4343 where id = 8');
    expect(await price(b, 8)).toBe(4343);
    // Back: a new session, and the cache works again (a change behind its back is not seen).
    await until(() => b.listener.connected());
    expect(b.listener.pid()).not.toBe(killed);
    expect(await price(b, 8)).toBe(4343);
    await database.pool.query('update products set price_cents = 4444 where id = 8');
    expect(await price(b, 8)).toBe(4343);
    const metrics = await b.metrics.registry.getSingleMetricAsString('storefront_cache_listener_up');
    expect(metrics).toMatch(/storefront_cache_listener_up 1/);
  });

  test('npm run serve -- --instances 3 runs three processes on one port, and a write through one is seen by all', async ({ database }) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['scripts/serve.ts', '--instances', '3'], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      // Three processes start and connect: on a loaded 2-core machine that alone took 30 s.
      await until(() => output.includes('(3 instances)'), 90_000);
      const url = `http://127.0.0.1:${port}`;
      const answered = new Set<string>();
      const get = async () => {
        const response = await fetch(`${url}/products/9`, { headers: { connection: 'close' } });
        answered.add(response.headers.get('x-storefront-instance') ?? '');
        return ((await response.json()) as { priceCents: number }).priceCents;
      };
      for (let i = 0; i < 30; i++) await get();
      expect(answered.size).toBe(3);
      const write = await fetch(`${url}/products/9`, {
        method: 'PATCH',
        body: JSON.stringify({ priceCents: 777 }),
        headers: { connection: 'close' },
      });
      expect(write.status).toBe(200);
      // Once each instance has heard the NOTIFY, all thirty reads, spread over the three, say 777.
      await expect
        .poll(
          async () => {
            const seen = new Set<number>();
            for (let i = 0; i < 30; i++) seen.add(await get());
            return [...seen];
          },
          { timeout: 10_000, interval: 50 },
        )
        .toEqual([777]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(output).not.toMatch(/could not start/);
  }, 150_000);
});
