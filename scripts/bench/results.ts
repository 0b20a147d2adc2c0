// The results file the site reads (site/data/bench-results.json): every suite's
// measurements, checks and findings, the environment that produced them, and a
// flat `metrics` map that pages cite by name (<Metric name="trees.cte.10k.s100.median" />).
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchSize, Metric, SuiteResult } from './context.ts';
import type { BenchEnvironment } from './environment.ts';

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

/**
 * How far each suite's medians moved since the run that last wrote the file: the
 * honest error bar for a figure measured on a shared machine. Added to each suite's
 * metrics as `<suite>.run-to-run.*`.
 */
export function compareWithPrevious(previous: BenchResults | undefined, fresh: BenchResults): BenchResults {
  if (!previous || previous.schema !== 1 || previous.size !== fresh.size) return fresh;
  const suites: Record<string, SuiteRecord> = {};
  for (const [name, record] of Object.entries(fresh.suites)) {
    const before = previous.suites[name];
    const old = new Map(before?.measurements.map((m) => [m.id, m.median]) ?? []);
    const changes = record.measurements
      .filter((m) => old.has(m.id) && old.get(m.id)! > 0)
      .map((m) => ({ id: m.id, change: (Math.abs(m.median - old.get(m.id)!) / old.get(m.id)!) * 100 }))
      .sort((a, b) => a.change - b.change);
    if (!before || changes.length === 0) {
      suites[name] = record;
      continue;
    }
    const at = (p: number) => changes[Math.min(changes.length - 1, Math.ceil((p / 100) * changes.length) - 1)]!.change;
    const runToRun = {
      previousDate: before.environment.date,
      compared: changes.length,
      medianChangePercent: Math.round(at(50) * 10) / 10,
      p90ChangePercent: Math.round(at(90) * 10) / 10,
      largest: changes.at(-1)!,
    };
    suites[name] = {
      ...record,
      findings: { ...record.findings, runToRun },
      metrics: {
        ...record.metrics,
        [`${name}.run-to-run.median-change`]: { value: runToRun.medianChangePercent, unit: '%' },
        [`${name}.run-to-run.p90-change`]: { value: runToRun.p90ChangePercent, unit: '%' },
        [`${name}.run-to-run.compared`]: { value: runToRun.compared, unit: 'count' },
      },
    };
  }
  return buildResults(fresh.environment, fresh.size, suites);
}

export function readResults(path: string): BenchResults | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BenchResults) : undefined;
}
