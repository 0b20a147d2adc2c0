// The cost of the query builder itself: the same SQL sent through raw pg and
// through Kysely (end to end), and Kysely's build + compile time alone (no database).
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import { measureInterleaved, summarize, type Measurement } from '../measure.ts';
import { measurementMetrics, ratio, type BenchContext, type Check, type Metric, type Suite } from '../context.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../snippets/app/database.ts';

// These three methods send the same SQL shape in both data layers (the repository
// equivalence test proves the results match), so the difference is the builder.
export const SAME_SQL_QUERIES = ['getProduct', 'listProducts', 'topSellingProducts'] as const;

function calls(
  productId: number,
  categoryId: number,
): Record<(typeof SAME_SQL_QUERIES)[number], (repo: StorefrontRepository) => Promise<unknown>> {
  return {
    getProduct: (repo) => repo.getProduct(productId),
    listProducts: (repo) => repo.listProducts({ categoryId, minPriceCents: 1_000, inStockOnly: true }, { limit: 20 }),
    topSellingProducts: (repo) => repo.topSellingProducts(10),
  };
}

/** The Kysely query objects behind those methods, built from scratch each time like the repository does. */
function builders(db: Kysely<Database>, productId: number, categoryId: number) {
  return {
    getProduct: () =>
      db
        .selectFrom('products')
        .select(['id', 'category_id as categoryId', 'sku', 'name', 'price_cents as priceCents', 'stock'])
        .where('id', '=', productId)
        .where('active', '=', true),
    listProducts: () =>
      db
        .selectFrom('products')
        .select(['id', 'category_id as categoryId', 'sku', 'name', 'price_cents as priceCents', 'stock'])
        .where('active', '=', true)
        .where('category_id', '=', categoryId)
        .where('price_cents', '>=', 1_000)
        .where('stock', '>', 0)
        .orderBy('id')
        .limit(20),
    topSellingProducts: () =>
      db
        .selectFrom('order_items')
        .innerJoin('orders', 'orders.id', 'order_items.order_id')
        .innerJoin('products', 'products.id', 'order_items.product_id')
        .select((eb) => ['products.id as productId', 'products.name', eb.fn.sum<number>('order_items.quantity').as('unitsSold')])
        .where('orders.status', '<>', 'cancelled')
        .groupBy(['products.id', 'products.name'])
        .orderBy('unitsSold', 'desc')
        .limit(10),
  };
}

const COMPILE_RUNS = { smoke: 50, quick: 2_000, full: 20_000 };

export async function pickProduct(context: BenchContext) {
  const { rows } = await context.storefront.pool.query<{ id: number; category_id: number }>(
    'select id, category_id from products where active and stock > 0 order by id limit 1 offset 10',
  );
  return { productId: rows[0]!.id, categoryId: rows[0]!.category_id };
}

export const overheadSuite: Suite = {
  name: 'overhead',
  describe: 'query builder cost: same SQL through raw pg and Kysely; Kysely build+compile time',
  async run(context) {
    const { pool, db } = context.storefront;
    const { productId, categoryId } = await pickProduct(context);
    const repos = { pg: createLegacyRepository(pool), kysely: createKyselyRepository(db) };
    const measurements: Measurement[] = [];
    const checks: Check[] = [];
    const metrics: Record<string, Metric> = {};
    const rows: { query: string; compileUs: number; pg: number; kysely: number }[] = [];

    for (const query of SAME_SQL_QUERIES) {
      const call = calls(productId, categoryId)[query];
      checks.push({
        name: `overhead ${query}: raw pg and Kysely return the same rows`,
        equal: isDeepStrictEqual(await call(repos.pg), await call(repos.kysely)),
      });
      context.progress(`overhead ${query}: pg, kysely`);
      const measured = await measureInterleaved(
        Object.entries(repos).map(([variant, repo]) => ({
          spec: { id: `overhead.${variant}.${query}`, suite: 'overhead', variant, params: { query } },
          run: () => call(repo),
        })),
        pool,
        context.budget,
      );
      measurements.push(...measured);
      const medians = Object.fromEntries(measured.map((m) => [m.variant, m.median]));
      // Build + compile only, timed in batches: one call is below the timer's resolution.
      context.progress(`overhead ${query} compile`);
      const build = builders(db, productId, categoryId)[query];
      const batch = 100;
      const perCallUs: number[] = [];
      for (let i = 0; i < 50; i++) build().compile(); // warm-up
      for (let done = 0; done < COMPILE_RUNS[context.size]; done += batch) {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) build().compile();
        perCallUs.push(((performance.now() - t0) * 1000) / batch);
      }
      const compile = summarize(perCallUs);
      metrics[`overhead.compile.${query}.median`] = { value: round(compile.median), unit: 'us' };
      metrics[`overhead.compile.${query}.p95`] = { value: round(compile.p95), unit: 'us' };
      metrics[`overhead.compile.${query}.samples`] = { value: compile.samples * batch, unit: 'count' };
      metrics[`overhead.${query}.kysely-minus-pg`] = { value: round((medians.kysely! - medians.pg!) * 1000), unit: 'us' };
      metrics[`overhead.${query}.kysely-vs-pg`] = { value: ratio(medians.kysely!, medians.pg!), unit: 'x' };
      rows.push({ query, compileUs: round(compile.median), pg: medians.pg!, kysely: medians.kysely! });
    }
    return { measurements, checks, metrics: { ...measurementMetrics(measurements), ...metrics }, findings: { rows } };
  },
};

const round = (value: number) => Math.round(value * 100) / 100;
