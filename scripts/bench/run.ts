// Runs suites one after another against a prepared context. Used by the CLI
// (scripts/bench.ts) at full or quick size and by test/bench at smoke size.
import { performance } from 'node:perf_hooks';
import { BUDGETS, type BenchContext, type BenchSize, type Suite } from './context.ts';
import { captureEnvironment, finishEnvironment } from './environment.ts';
import { buildResults, type BenchResults, type SuiteRecord } from './results.ts';

export interface RunOptions extends Omit<BenchContext, 'budget' | 'size'> {
  size: BenchSize;
  suites: Suite[];
  databaseSource: string;
  notes?: string[];
  onSuiteDone?: (name: string, record: SuiteRecord) => void;
}

export async function runSuites(options: RunOptions): Promise<BenchResults> {
  const { suites, databaseSource, notes = [], onSuiteDone, ...rest } = options;
  const context: BenchContext = { ...rest, budget: BUDGETS[options.size] };
  const environment = await captureEnvironment(context.storefront.pool, databaseSource, notes);
  const records: Record<string, SuiteRecord> = {};
  for (const suite of suites) {
    const started = performance.now();
    const result = await suite.run(context);
    const record: SuiteRecord = {
      ...result,
      size: options.size,
      wallSeconds: (performance.now() - started) / 1000,
      environment: finishEnvironment(environment),
    };
    records[suite.name] = record;
    onSuiteDone?.(suite.name, record);
  }
  return buildResults(finishEnvironment(environment), options.size, records);
}
