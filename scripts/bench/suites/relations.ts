// N+1: orders with their items, four ways, for N parent orders.
import { isDeepStrictEqual } from 'node:util';
import { loadWithJoin, loadWithJsonArrayFrom, loadWithLoop, loadWithWhereIn } from '../../../snippets/relations/load-orders-with-items.ts';
import { measureInterleaved, type Measurement } from '../measure.ts';
import { measurementMetrics, ratio, type Check, type Metric, type Suite } from '../context.ts';
import { clearWinner } from './trees.ts';

const PLAN = { smoke: [5], quick: [10, 100], full: [10, 100, 1000] } as const;

export const relationsSuite: Suite = {
  name: 'relations',
  describe: 'orders with items: legacy loop (N+1) vs jsonArrayFrom vs join vs where-in',
  async run(context) {
    const { pool, db } = context.storefront;
    const { rows } = await pool.query<{ id: number }>('select id from orders order by id');
    const allIds = rows.map((r) => r.id);
    const measurements: Measurement[] = [];
    const checks: Check[] = [];
    const points: { n: number; medians: Record<string, number>; queries: Record<string, number>; winner: string; fastest: string }[] = [];
    for (const n of PLAN[context.size]) {
      if (n > allIds.length) throw new Error(`relations: need ${n} orders, the database has ${allIds.length}`);
      // Evenly spread ids, so the orders are not all neighbours on disk.
      const step = allIds.length / n;
      const orderIds = Array.from({ length: n }, (_, i) => allIds[Math.floor(i * step)]!);
      const variants: Record<string, () => Promise<unknown>> = {
        loop: () => loadWithLoop(pool, orderIds),
        'json-array-from': () => loadWithJsonArrayFrom(db, orderIds),
        join: () => loadWithJoin(db, orderIds),
        'where-in': () => loadWithWhereIn(db, orderIds),
      };
      const results = await Promise.all(Object.values(variants).map((fn) => fn()));
      checks.push({
        name: `relations n=${n}: all four loaders return the same orders and items`,
        equal: results.every((r) => isDeepStrictEqual(r, results[0])),
      });
      context.progress(`relations n=${n}: ${Object.keys(variants).join(', ')}`);
      const measured = await measureInterleaved(
        Object.entries(variants).map(([variant, run]) => ({
          spec: { id: `relations.${variant}.n${n}`, suite: 'relations', variant, params: { n } },
          run,
        })),
        pool,
        context.budget,
      );
      measurements.push(...measured);
      const medians = Object.fromEntries(measured.map((m) => [m.variant, m.median]));
      const queries = Object.fromEntries(measured.map((m) => [m.variant, m.queries]));
      const fastest = Object.keys(medians).reduce((a, b) => (medians[b]! < medians[a]! ? b : a));
      const winner = clearWinner(medians, Object.keys(medians));
      points.push({ n, medians, queries, winner, fastest });
    }
    const metrics: Record<string, Metric> = measurementMetrics(measurements);
    for (const p of points) {
      metrics[`relations.n${p.n}.winner`] = { value: p.winner, unit: 'text' };
      for (const variant of Object.keys(p.medians)) {
        metrics[`relations.n${p.n}.${variant}-vs-best`] = { value: ratio(p.medians[variant]!, p.medians[p.fastest]!), unit: 'x' };
      }
      metrics[`relations.n${p.n}.loop-vs-json-array-from`] = { value: ratio(p.medians.loop!, p.medians['json-array-from']!), unit: 'x' };
    }
    return { measurements, checks, metrics, findings: { points } };
  },
};
