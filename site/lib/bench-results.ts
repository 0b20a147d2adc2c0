// Build-time access to site/data/bench-results.json, written by `npm run bench`.
// Pages never type a measured number: they name it, and a missing name fails the build.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { BENCH_RESULTS_FILE } from '../../lib/bench-results-file.ts';
import type { BenchResults } from '../../scripts/bench/results.ts';
import type { Metric } from '../../scripts/bench/context.ts';
import type { BenchEnvironment } from '../../scripts/bench/environment.ts';

let cached: BenchResults | undefined;

export function loadBenchResults(page: string): BenchResults {
  if (cached) return cached;
  const path = join(PROJECT_ROOT, BENCH_RESULTS_FILE);
  if (!existsSync(path)) throw new Error(`[metric] page ${page}: ${BENCH_RESULTS_FILE} does not exist. Run \`npm run bench\` to measure.`);
  cached = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  return cached;
}

export function getMetric(name: string, page: string): Metric & { suite: string } {
  const metric = loadBenchResults(page).metrics[name];
  if (!metric) {
    const known = Object.keys(loadBenchResults(page).metrics);
    const prefix = name.split('.').slice(0, 2).join('.');
    const near = known.filter((k) => k.startsWith(prefix)).slice(0, 5);
    throw new Error(
      `[metric] page ${page}: metric "${name}" is not in ${BENCH_RESULTS_FILE}.` +
        (near.length ? ` Similar names: ${near.join(', ')}.` : '') +
        ' Run `npm run bench` (or the suite that measures it) or fix the name.',
    );
  }
  return metric;
}

export function getNumber(name: string, page: string): number {
  const { value } = getMetric(name, page);
  if (typeof value !== 'number') throw new Error(`[metric] page ${page}: metric "${name}" is text ("${value}"), not a number`);
  return value;
}

export function environmentOf(page: string, suite?: string): { environment: BenchEnvironment; size: string; suite?: string } {
  const results = loadBenchResults(page);
  if (!suite) return { environment: results.environment, size: results.size };
  const record = results.suites[suite];
  if (!record)
    throw new Error(`[metric] page ${page}: suite "${suite}" is not in ${BENCH_RESULTS_FILE}. Run \`npm run bench -- ${suite}\`.`);
  return { environment: record.environment, size: record.size, suite };
}

/** Milliseconds to a readable string with about three significant digits. */
function formatMs(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

export function formatMetric(metric: Metric): string {
  const { value, unit } = metric;
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'us':
      return `${value.toFixed(1)} µs`;
    case 'x':
      return `${value.toFixed(value >= 10 ? 0 : 1)}×`;
    case '%':
      return `${value.toFixed(1)} %`;
    case 'count':
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
    default:
      return String(value);
  }
}
