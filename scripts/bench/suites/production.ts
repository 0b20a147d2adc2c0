// The figures the rollout, caching and troubleshooting pages quote for the service as
// production runs it: how long an invalidation takes to reach other instances, what a
// lost LISTEN connection costs, what shadow reads add to p95 response, and how often
// transactions are retried under contention.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../../snippets/app/database.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { withRetry } from '../../../snippets/app/retry.ts';
import { setMethodStage, METHODS } from '../../../snippets/rollout/method-rollout.ts';
import { startStorefrontService, type StorefrontService } from '../../../snippets/service/storefront-service.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { percentile } from '../../../lib/percentile.ts';
import type { BenchSize, Check, Metric, Suite } from '../context.ts';

const SIZES: Record<
  BenchSize,
  { writes: number; drops: number; blocks: number; requests: number; workers: number; perWorker: number; orders: number }
> = {
  smoke: { writes: 3, drops: 1, blocks: 1, requests: 10, workers: 2, perWorker: 3, orders: 2 },
  quick: { writes: 50, drops: 3, blocks: 4, requests: 300, workers: 4, perWorker: 20, orders: 5 },
  full: { writes: 200, drops: 10, blocks: 6, requests: 600, workers: 4, perWorker: 40, orders: 10 },
};
/** The service's default shadow sample rate, the one the page quotes. */
const SHADOW_SAMPLE_RATE = 0.1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(1);
  }
}
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

export const productionSuite: Suite = {
  name: 'production',
  describe: 'several instances (NOTIFY delay, listener loss), shadow-read overhead on p95, retries under contention',
  async run(context) {
    const size = SIZES[context.size];
    const url = (context.storefront.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const metrics: Record<string, Metric> = {};
    const checks: Check[] = [];
    const { pool, db } = context.storefront;
    const { rows } = await pool.query<{ id: number }>('select id from products where active order by id limit 20');
    const productIds = rows.map((row) => row.id);

    // 1. Invalidation across three instances.
    context.progress('production: invalidation across 3 instances');
    const delays: number[] = [];
    const instances: StorefrontService[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        instances.push(
          await startStorefrontService({
            databaseUrl: url,
            poolSize: 2,
            cacheTtlMs: 600_000,
            onInvalidationDelay: (ms) => delays.push(ms),
            log: () => {},
          }),
        );
      }
      await Promise.all(instances.map((s) => s.listener.ready));
      const [a, b] = instances as [StorefrontService, StorefrontService, StorefrontService];
      let fresh = true;
      for (let round = 0; round < size.writes; round++) {
        const id = productIds[round % productIds.length]!;
        await fetch(`${b.url}/products/${id}`).then((r) => r.arrayBuffer());
        const before = delays.length;
        const price = 50_000 + round;
        await fetch(`${a.url}/products/${id}`, { method: 'PATCH', body: JSON.stringify({ priceCents: price }) }).then((r) =>
          r.arrayBuffer(),
        );
        await until(() => delays.length >= before + 3);
        const seen = (await (await fetch(`${b.url}/products/${id}`)).json()) as { priceCents: number };
        if (seen.priceCents !== price) fresh = false;
      }
      const delay = stats(delays);
      metrics['production.invalidation.delay.p50'] = { value: delay.p50, unit: 'ms' };
      metrics['production.invalidation.delay.p99'] = { value: delay.p99, unit: 'ms' };
      metrics['production.invalidation.delay.max'] = { value: delay.max, unit: 'ms' };
      metrics['production.invalidation.samples'] = { value: delays.length, unit: 'count' };
      metrics['production.invalidation.instances'] = { value: instances.length, unit: 'count' };
      checks.push({ name: 'production: after the NOTIFY arrived, instance B served the new price every time', equal: fresh });

      // 2. The listener connection dropped: time until this instance caches again.
      context.progress('production: listener drops');
      const reconnects: number[] = [];
      for (let i = 0; i < size.drops; i++) {
        const pid = b.listener.pid();
        const started = performance.now();
        await pool.query('select pg_terminate_backend($1)', [pid]);
        await until(() => !b.listener.connected());
        await until(() => b.listener.connected());
        reconnects.push(performance.now() - started);
      }
      metrics['production.listener.reconnect.median'] = { value: stats(reconnects).p50, unit: 'ms' };
      metrics['production.listener.reconnect.max'] = { value: stats(reconnects).max, unit: 'ms' };
      metrics['production.listener.drops'] = { value: reconnects.length, unit: 'count' };
    } finally {
      await Promise.all(instances.map((s) => s.close()));
    }

    // 3. Shadow reads: p95 response with legacy alone vs legacy plus a 10 % Kysely shadow.
    context.progress('production: shadow-read overhead');
    const service = await startStorefrontService({
      databaseUrl: url,
      poolSize: 5,
      cacheTtlMs: 0,
      shadowSampleRate: SHADOW_SAMPLE_RATE,
      log: () => {},
    });
    try {
      const paths = productIds.flatMap((id) => [`/products/${id}`, `/products?limit=20&after=${id}`, `/categories/${(id % 50) + 1}/path`]);
      const run = async () => {
        const samples: number[] = [];
        for (let i = 0; i < size.requests; i++) {
          const started = performance.now();
          await (await fetch(`${service.url}${paths[i % paths.length]}`)).arrayBuffer();
          samples.push(performance.now() - started);
        }
        return samples;
      };
      const stage = async (value: 'legacy' | 'shadow') => {
        for (const method of METHODS) await setMethodStage(db, method, { stage: value });
        await sleep(1_100); // the service re-reads stages every second
      };
      const legacy: number[] = [];
      const shadow: number[] = [];
      // Alternate in blocks, so drift in the machine's load hits both sides alike.
      for (let block = 0; block < size.blocks; block++) {
        await stage('legacy');
        legacy.push(...(await run()));
        await stage('shadow');
        shadow.push(...(await run()));
        await service.storefront.drainShadows();
      }
      const l = stats(legacy);
      const s = stats(shadow);
      metrics['production.shadow.legacy.p50'] = { value: l.p50, unit: 'ms' };
      metrics['production.shadow.legacy.p95'] = { value: l.p95, unit: 'ms' };
      metrics['production.shadow.sampled.p50'] = { value: s.p50, unit: 'ms' };
      metrics['production.shadow.sampled.p95'] = { value: s.p95, unit: 'ms' };
      metrics['production.shadow.p95-overhead'] = { value: s.p95 - l.p95, unit: 'ms' };
      metrics['production.shadow.sample-rate'] = { value: SHADOW_SAMPLE_RATE * 100, unit: '%' };
      metrics['production.shadow.requests'] = { value: legacy.length, unit: 'count' };
      const text = await service.metrics.registry.metrics();
      const shadowed = [...text.matchAll(/storefront_shadow_reads_total\{[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      const mismatched = [...text.matchAll(/storefront_shadow_mismatches_total\{[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      metrics['production.shadow.compared'] = { value: shadowed, unit: 'count' };
      checks.push({ name: 'production: real legacy and Kysely agreed on every shadowed read', equal: mismatched === 0 });
    } finally {
      await service.close();
      // Put the stages back as the migrations left them: the global flag decides.
      await db.deleteFrom('feature_flags').where('key', 'like', 'data\\_layer:%').execute();
    }

    // 4. Retries under contention.
    context.progress('production: retries under contention');
    const serializable = await serializableContention(url, productIds.slice(0, 2), size.workers, size.perWorker);
    const deadlocks = await orderContention(url, db, productIds.slice(2, 4), size.workers, size.orders);
    for (const [name, result] of Object.entries({ serializable, deadlock: deadlocks })) {
      const attempts = stats(result.attempts);
      metrics[`production.retry.${name}.transactions`] = { value: result.attempts.length, unit: 'count' };
      metrics[`production.retry.${name}.retried`] = { value: result.attempts.filter((n) => n > 1).length, unit: 'count' };
      metrics[`production.retry.${name}.retries`] = { value: result.attempts.reduce((n, a) => n + a - 1, 0), unit: 'count' };
      metrics[`production.retry.${name}.attempts.p50`] = { value: attempts.p50, unit: 'count' };
      metrics[`production.retry.${name}.attempts.p99`] = { value: attempts.p99, unit: 'count' };
      metrics[`production.retry.${name}.attempts.max`] = { value: attempts.max, unit: 'count' };
      metrics[`production.retry.${name}.gave-up`] = { value: result.gaveUp, unit: 'count' };
      metrics[`production.retry.${name}.workers`] = { value: size.workers, unit: 'count' };
      checks.push({ name: `production: ${name} contention lost no update`, equal: result.consistent });
    }
    return { measurements: [], checks, metrics, findings: { delays: stats(delays) } };
  },
};

/** Workers each run serializable read-then-write transactions on the same two rows. */
async function serializableContention(url: string, hot: number[], workers: number, perWorker: number) {
  const pools = Array.from({ length: workers }, () => createPool(url, 1));
  const dbs = pools.map((p) => createKysely(p));
  const attempts: number[] = [];
  let gaveUp = 0;
  const stockOf = async (db: Kysely<Database>) =>
    (
      await db
        .selectFrom('products')
        .select((eb) => eb.fn.sum<number>('stock').as('s'))
        .where('id', 'in', hot)
        .executeTakeFirstOrThrow()
    ).s;
  try {
    const before = Number(await stockOf(dbs[0]!));
    let committed = 0;
    await Promise.all(
      dbs.map(async (db, w) => {
        for (let i = 0; i < perWorker; i++) {
          const id = hot[(w + i) % hot.length]!;
          let used = 0;
          try {
            await withRetry(async (attempt) => {
              used = attempt;
              await db
                .transaction()
                .setIsolationLevel('serializable')
                .execute(async (trx) => {
                  const row = await trx.selectFrom('products').select('stock').where('id', '=', id).executeTakeFirstOrThrow();
                  await trx
                    .updateTable('products')
                    .set({ stock: row.stock + 1 })
                    .where('id', '=', id)
                    .execute();
                });
            });
            committed++;
          } catch {
            gaveUp++;
          }
          attempts.push(used);
        }
      }),
    );
    const after = Number(await stockOf(dbs[0]!));
    return { attempts, gaveUp, consistent: after - before === committed };
  } finally {
    await Promise.all(dbs.map((db) => db.destroy()));
  }
}

/** Workers place two-line orders for the same two products in opposite orders: real deadlocks, retried by placeOrder. */
async function orderContention(url: string, db: Kysely<Database>, hot: number[], workers: number, perWorker: number) {
  await db.updateTable('products').set({ stock: 1_000_000 }).where('id', 'in', hot).execute();
  const before = await db.selectFrom('products').select(['id', 'stock']).where('id', 'in', hot).orderBy('id').execute();
  const pools: pg.Pool[] = Array.from({ length: workers }, () => createPool(url, 1));
  const attempts: number[] = [];
  let gaveUp = 0;
  let placed = 0;
  const { rows } = await pools[0]!.query<{ id: number }>('select id from customers order by id limit 1');
  try {
    await Promise.all(
      pools.map(async (workerPool, w) => {
        const workerDb = createKysely(workerPool);
        for (let i = 0; i < perWorker; i++) {
          let retries = 0;
          const repo = createKyselyRepository(workerDb, { retry: { onRetry: () => retries++ } });
          const lines = (w % 2 ? [...hot].reverse() : hot).map((productId) => ({ productId, quantity: 1 }));
          try {
            await repo.placeOrder({ customerId: rows[0]!.id, lines });
            placed++;
          } catch {
            gaveUp++;
          }
          attempts.push(retries + 1);
        }
        await workerDb.destroy();
      }),
    );
    const after = await db.selectFrom('products').select(['id', 'stock']).where('id', 'in', hot).orderBy('id').execute();
    return { attempts, gaveUp, consistent: after.every((row, i) => before[i]!.stock - row.stock === placed) };
  } finally {
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
  }
}
