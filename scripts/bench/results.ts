// The results file the site reads (site/data/bench-results.json): every suite's
// measurements, checks and findings, the environment that produced them, and a
// flat `metrics` map that pages cite by name (<Metric name="trees.cte.10k.s100.median" />).
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchSize, Metric, SuiteResult } from './context.ts';
import type { BenchEnvironment } from './environment.ts';

export const RESULTS_PATH = 'site/data/bench-results.json';

export interface SuiteRecord extends SuiteResult {
  size: BenchSize;
  wallSeconds: number;
  environment: BenchEnvironment;
}

export interface BenchResults {
  schema: 1;
  /** The most recent run that wrote this file. */
  environment: BenchEnvironment;
  size: BenchSize;
  suites: Record<string, SuiteRecord>;
  metrics: Record<string, Metric & { suite: string }>;
}

export function buildResults(environment: BenchEnvironment, size: BenchSize, suites: Record<string, SuiteRecord>): BenchResults {
  const metrics: BenchResults['metrics'] = {};
  for (const [suite, record] of Object.entries(suites)) {
    for (const [name, metric] of Object.entries(record.metrics)) metrics[name] = { ...metric, suite };
  }
  return { schema: 1, environment, size, suites, metrics };
}

/** Running some suites keeps the others' figures from the file, each with its own environment. */
export function mergeResults(path: string, fresh: BenchResults): BenchResults {
  if (!existsSync(path)) return fresh;
  const previous = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  if (previous.schema !== 1 || previous.size !== fresh.size) return fresh;
  return buildResults(fresh.environment, fresh.size, { ...previous.suites, ...fresh.suites });
}

export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, roundNumbers, 2)}\n`);
}

/** Microsecond resolution is all the timer honestly gives; it also keeps diffs readable. */
function roundNumbers(_key: string, value: unknown) {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}
