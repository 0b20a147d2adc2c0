// What every suite receives: where to create its databases, the seeded Storefront
// database, how long to measure, and a way to report progress.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../snippets/app/database.ts';
import type { MeasureBudget, Measurement } from './measure.ts';

export type BenchSize = 'smoke' | 'quick' | 'full';

export interface BenchContext {
  size: BenchSize;
  /** Superuser URL of the maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  /** Databases a suite creates are named `${databasePrefix}_<what>` and dropped when it ends. */
  databasePrefix: string;
  /** The Storefront, migrated and seeded at benchmark scale (a clone of the test template in the smoke run). */
  storefront: { pool: pg.Pool; db: Kysely<Database> };
  budget: MeasureBudget;
  progress(label: string): void;
  log(line: string): void;
}

export interface Check {
  /** What was compared, e.g. "trees 10k s100: cte = load-all = per-level". */
  name: string;
  equal: boolean;
}

export type MetricUnit = 'ms' | 'us' | 'x' | '%' | 'count' | 'text';

export interface Metric {
  value: number | string;
  unit: MetricUnit;
}

export interface SuiteResult {
  measurements: Measurement[];
  checks: Check[];
  /** Named figures the pages cite: every measurement's statistics plus derived ones (ratios, hit rates). */
  metrics: Record<string, Metric>;
  /** Structured conclusions for charts and tables, e.g. the tree crossover points. */
  findings: Record<string, unknown>;
}

export interface Suite {
  name: string;
  describe: string;
  /** Number of measurements it will take, for the progress indicator (an estimate is fine). */
  run(context: BenchContext): Promise<SuiteResult>;
}

export const BUDGETS: Record<BenchSize, MeasureBudget> = {
  smoke: { warmup: 1, maxIterations: 2, budgetMs: 0, minIterations: 2 },
  quick: { warmup: 1, maxIterations: 20, budgetMs: 200, minIterations: 5 },
  full: { warmup: 3, maxIterations: 200, budgetMs: 1200, minIterations: 10 },
};

/** Adds median, p95, min, samples, rows and queries of each measurement under its id. */
export function measurementMetrics(measurements: readonly Measurement[]): Record<string, Metric> {
  const metrics: Record<string, Metric> = {};
  for (const m of measurements) {
    metrics[`${m.id}.median`] = { value: m.median, unit: 'ms' };
    metrics[`${m.id}.p95`] = { value: m.p95, unit: 'ms' };
    metrics[`${m.id}.min`] = { value: m.min, unit: 'ms' };
    metrics[`${m.id}.samples`] = { value: m.samples, unit: 'count' };
    metrics[`${m.id}.rows`] = { value: m.rows, unit: 'count' };
    metrics[`${m.id}.queries`] = { value: m.queries, unit: 'count' };
  }
  return metrics;
}

export function ratio(slower: number, faster: number): number {
  return Math.round((slower / faster) * 100) / 100;
}
