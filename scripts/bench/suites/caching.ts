// What the cache buys: latency of a hit, a miss and a plain database read, and the
// hit rate when a few products get most of the traffic while writes invalidate.
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import { createCachedStorefront } from '../../../snippets/caching/cached-storefront.ts';
import { createRandom } from '../../../snippets/app/random.ts';
import { measureInterleaved, summarize, type Measurement } from '../measure.ts';
import { measurementMetrics, ratio, type Check, type Metric, type Suite } from '../context.ts';

const ZIPF_OPERATIONS = { smoke: 200, quick: 3_000, full: 20_000 };
/** Share of operations that are writes (a price change), per scenario. */
export const WRITE_SHARES = [0.01, 0.1];
const ZIPF_EXPONENT = 1;
const MAX_ENTRIES = 10_000;

/** Draws 0..n-1 with probability proportional to 1/(rank+1)^s: a few keys get most reads. */
export function zipfSampler(n: number, s: number, random: () => number) {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1) ** s;
  return () => {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export const cachingSuite: Suite = {
  name: 'caching',
  describe: 'read-through cache: hit vs miss vs database; hit rate under Zipf reads with invalidating writes',
  async run(context) {
    const { pool, db } = context.storefront;
    const repo = createKyselyRepository(db);
    const { rows: ids } = await pool.query<{ product: number; customer: number; root: number }>(`
      select (select id from products where active order by id limit 1 offset 10) as product,
             (select customer_id from orders group by customer_id order by count(*) desc, customer_id limit 1) as customer,
             (select id from categories where parent_id is null order by id limit 1) as root`);
    const p = ids[0]!;
    const reads: Record<string, (r: StorefrontRepository) => Promise<unknown>> = {
      getProduct: (r) => r.getProduct(p.product),
      getCategorySubtree: (r) => r.getCategorySubtree(p.root),
      listCustomerOrders: (r) => r.listCustomerOrders(p.customer),
      topSellingProducts: (r) => r.topSellingProducts(10),
    };
    const measurements: Measurement[] = [];
    const checks: Check[] = [];
    const metrics: Record<string, Metric> = {};
    const latency: { read: string; db: number; miss: number; hit: number }[] = [];
    for (const [read, call] of Object.entries(reads)) {
      // ttlMs 0: every read misses, loads and stores, which is exactly the miss path.
      const variants: Record<string, StorefrontRepository> = {
        db: repo,
        miss: createCachedStorefront(repo, { ttlMs: 0 }),
        hit: createCachedStorefront(repo, { ttlMs: 3_600_000 }),
      };
      const direct = await call(repo);
      checks.push({
        name: `caching ${read}: a hit and a miss return what the database returned`,
        equal: isDeepStrictEqual(await call(variants.miss!), direct) && isDeepStrictEqual(await call(variants.hit!), direct),
      });
      context.progress(`caching ${read}: db, miss, hit`);
      const measured = await measureInterleaved(
        Object.entries(variants).map(([variant, r]) => ({
          spec: { id: `caching.${variant}.${read}`, suite: 'caching', variant, params: { read } },
          run: () => call(r),
        })),
        pool,
        context.budget,
      );
      measurements.push(...measured);
      const medians = Object.fromEntries(measured.map((m) => [m.variant, m.median]));
      metrics[`caching.${read}.db-vs-hit`] = { value: ratio(medians.db!, medians.hit!), unit: 'x' };
      latency.push({ read, db: medians.db!, miss: medians.miss!, hit: medians.hit! });
    }

    // The skewed workload: product pages and category listings, a share of price changes.
    const { rows: products } = await pool.query<{ id: number }>('select id from products where active order by id');
    const { rows: categories } = await pool.query<{ id: number }>('select id from categories order by id');
    const scenarios: Record<string, unknown>[] = [];
    for (const writeShare of WRITE_SHARES) {
      const label = `w${Math.round(writeShare * 100)}`;
      context.progress(`caching zipf ${label}`);
      const random = createRandom(11);
      const pickProduct = zipfSampler(products.length, ZIPF_EXPONENT, random.next);
      const pickCategory = zipfSampler(categories.length, ZIPF_EXPONENT, random.next);
      let invalidations = 0;
      const readTimes: number[] = [];
      let dbReads = 0;
      let secondHalfReads = 0;
      let secondHalfDbReads = 0;
      const operations = ZIPF_OPERATIONS[context.size];
      const counting: StorefrontRepository = {
        ...repo,
        getProduct: (id) => (dbReads++, repo.getProduct(id)),
        listProducts: (f, pg) => (dbReads++, repo.listProducts(f, pg)),
      };
      const cachedCounting = createCachedStorefront(counting, { ttlMs: 60_000, maxEntries: MAX_ENTRIES });
      let readsDone = 0;
      const started = performance.now();
      for (let i = 0; i < operations; i++) {
        // The first half fills the cold cache; the second half is the steady state.
        if (i === operations / 2) [secondHalfReads, secondHalfDbReads] = [readsDone, dbReads];
        const product = products[pickProduct()]!.id;
        if (random.next() < writeShare) {
          await cachedCounting.updateProductPrice(product, random.int(199, 49_999));
          invalidations++;
          continue;
        }
        const t0 = performance.now();
        if (random.next() < 0.8) await cachedCounting.getProduct(product);
        else await cachedCounting.listProducts({ categoryId: categories[pickCategory()]!.id }, { limit: 20 });
        readTimes.push(performance.now() - t0);
        readsDone++;
      }
      const elapsed = performance.now() - started;
      const stats = summarize(readTimes);
      const hitRate = Math.round((1 - dbReads / readsDone) * 1000) / 10;
      metrics[`caching.zipf.${label}.hit-rate`] = { value: hitRate, unit: '%' };
      const steadyHitRate = Math.round((1 - (dbReads - secondHalfDbReads) / (readsDone - secondHalfReads)) * 1000) / 10;
      metrics[`caching.zipf.${label}.steady-hit-rate`] = { value: steadyHitRate, unit: '%' };
      metrics[`caching.zipf.${label}.reads`] = { value: readsDone, unit: 'count' };
      metrics[`caching.zipf.${label}.writes`] = { value: invalidations, unit: 'count' };
      metrics[`caching.zipf.${label}.read.median`] = { value: stats.median, unit: 'ms' };
      metrics[`caching.zipf.${label}.read.p95`] = { value: stats.p95, unit: 'ms' };
      metrics[`caching.zipf.${label}.read.mean`] = { value: stats.mean, unit: 'ms' };
      scenarios.push({
        label,
        writeShare,
        operations: ZIPF_OPERATIONS[context.size],
        reads: readsDone,
        writes: invalidations,
        hitRate,
        steadyHitRate,
        elapsedMs: Math.round(elapsed),
        read: stats,
      });
    }
    metrics['caching.zipf.exponent'] = { value: ZIPF_EXPONENT, unit: 'count' };
    metrics['caching.zipf.keys'] = { value: products.length, unit: 'count' };
    metrics['caching.zipf.max-entries'] = { value: MAX_ENTRIES, unit: 'count' };
    const slowestHit = Math.max(...latency.map((l) => l.hit));
    const dbRange = latency.map((l) => l.db);
    metrics['caching.hit.slowest-median'] = { value: slowestHit, unit: 'ms' };
    metrics['caching.db.fastest-median'] = { value: Math.min(...dbRange), unit: 'ms' };
    metrics['caching.db.slowest-median'] = { value: Math.max(...dbRange), unit: 'ms' };
    return { measurements, checks, metrics: { ...measurementMetrics(measurements), ...metrics }, findings: { latency, scenarios } };
  },
};
