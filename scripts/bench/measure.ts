// Times one operation: warm-up runs first (connections, plans and JIT settle),
// then timed iterations until the count or the time budget runs out.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { countQueries } from '../../snippets/app/query-counter.ts';
import { percentile } from '../../lib/percentile.ts';

export interface MeasureBudget {
  warmup: number;
  /** Stop after this many timed runs... */
  maxIterations: number;
  /** ...or once this much time has been spent and at least minIterations ran. */
  budgetMs: number;
  minIterations: number;
}

export interface Measurement {
  /** Metric prefix, e.g. "trees.cte.10k.s100". */
  id: string;
  suite: string;
  /** Which approach, e.g. "cte". */
  variant: string;
  /** The point measured, e.g. { tree: "10k", subtree: "s100" }. */
  params: Record<string, string | number>;
  unit: 'ms';
  warmup: number;
  samples: number;
  min: number;
  median: number;
  p95: number;
  mean: number;
  /** Rows (or items) the operation returned. */
  rows: number;
  /** Statements sent to PostgreSQL per run, counted on the pool. */
  queries: number;
}

export function summarize(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
  };
}

export function countRows(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  return result === undefined || result === null ? 0 : 1;
}

export interface Variant {
  spec: Omit<Measurement, 'unit' | 'warmup' | 'samples' | 'min' | 'median' | 'p95' | 'mean' | 'rows' | 'queries'>;
  run: () => Promise<unknown>;
}

/**
 * Measures competing variants in rounds (each round runs every variant once, in a
 * rotating order), so a burst of load from other processes hits all of them alike
 * instead of whichever happened to be measured at that moment.
 */
export async function measureInterleaved(variants: Variant[], pool: pg.Pool | undefined, budget: MeasureBudget): Promise<Measurement[]> {
  for (const variant of variants) for (let i = 0; i < budget.warmup; i++) await variant.run();
  const counter = pool ? countQueries(pool) : undefined;
  const samples = variants.map(() => [] as number[]);
  const queries = variants.map(() => 0);
  const rows = variants.map(() => 0);
  const totalBudget = budget.budgetMs * variants.length;
  const started = performance.now();
  try {
    for (let round = 0; round < budget.maxIterations; round++) {
      if (round >= budget.minIterations && performance.now() - started >= totalBudget) break;
      for (let k = 0; k < variants.length; k++) {
        const index = (round + k) % variants.length;
        const before = counter?.count ?? 0;
        const t0 = performance.now();
        const result = await variants[index]!.run();
        samples[index]!.push(performance.now() - t0);
        queries[index]! += (counter?.count ?? 0) - before;
        rows[index] = countRows(result);
      }
    }
  } finally {
    counter?.detach();
  }
  return variants.map((variant, i) => ({
    ...variant.spec,
    unit: 'ms' as const,
    warmup: budget.warmup,
    ...summarize(samples[i]!),
    rows: rows[i]!,
    queries: Math.round((queries[i]! / samples[i]!.length) * 100) / 100,
  }));
}
