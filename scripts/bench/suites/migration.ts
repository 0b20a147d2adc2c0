// Every read method of the Storefront, legacy (raw SQL, with its N+1 loop and
// over-engineered CTE) against the migrated Kysely repository, on the same data.
import { isDeepStrictEqual } from 'node:util';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import { measureInterleaved, type Measurement } from '../measure.ts';
import { measurementMetrics, ratio, type Check, type Metric, type Suite } from '../context.ts';

export const migrationSuite: Suite = {
  name: 'migration',
  describe: 'each repository read method: legacy (raw pg) vs kysely',
  async run(context) {
    const { pool, db } = context.storefront;
    const { rows } = await pool.query<{ product: number; category: number; customer: number; root: number; deep: number }>(`
      select (select id from products where active order by id limit 1 offset 10) as product,
             (select category_id from products where active order by id limit 1 offset 10) as category,
             (select customer_id from orders group by customer_id order by count(*) desc, customer_id limit 1) as customer,
             (select c.id from categories c where c.parent_id is null order by id limit 1) as root,
             (select max(id) from categories) as deep`);
    const p = rows[0]!;
    const methods: Record<string, (repo: StorefrontRepository) => Promise<unknown>> = {
      getProduct: (repo) => repo.getProduct(p.product),
      listProducts: (repo) => repo.listProducts({ categoryId: p.category, inStockOnly: true }, { limit: 20 }),
      getCategorySubtree: (repo) => repo.getCategorySubtree(p.root),
      getCategoryPath: (repo) => repo.getCategoryPath(p.deep),
      listCustomerOrders: (repo) => repo.listCustomerOrders(p.customer),
      topSellingProducts: (repo) => repo.topSellingProducts(10),
    };
    const repos = { legacy: createLegacyRepository(pool), kysely: createKyselyRepository(db) };
    const measurements: Measurement[] = [];
    const checks: Check[] = [];
    const metrics: Record<string, Metric> = {};
    const points: { method: string; legacy: number; kysely: number; legacyQueries: number; kyselyQueries: number; speedup: number }[] = [];
    for (const [method, call] of Object.entries(methods)) {
      checks.push({
        name: `migration ${method}: legacy and kysely return the same result`,
        equal: isDeepStrictEqual(await call(repos.legacy), await call(repos.kysely)),
      });
      context.progress(`migration ${method}: legacy, kysely`);
      const measured = await measureInterleaved(
        Object.entries(repos).map(([variant, repo]) => ({
          spec: { id: `migration.${variant}.${method}`, suite: 'migration', variant, params: { method } },
          run: () => call(repo),
        })),
        pool,
        context.budget,
      );
      measurements.push(...measured);
      const result = Object.fromEntries(measured.map((m) => [m.variant, m]));
      const speedup = ratio(result.legacy!.median, result.kysely!.median);
      metrics[`migration.${method}.legacy-vs-kysely`] = { value: speedup, unit: 'x' };
      points.push({
        method,
        legacy: result.legacy!.median,
        kysely: result.kysely!.median,
        legacyQueries: result.legacy!.queries,
        kyselyQueries: result.kysely!.queries,
        speedup,
      });
    }
    return { measurements, checks, metrics: { ...measurementMetrics(measurements), ...metrics }, findings: { points } };
  },
};
