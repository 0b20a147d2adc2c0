// Runs every benchmark suite at smoke size so the harness cannot rot. Asserts only
// that results are well formed and that paired variants returned equal data:
// timings at this size mean nothing.
import { inject } from 'vitest';
import { describe, expect, test } from '../harness/database.ts';
import { cloneName } from '../harness/naming.ts';
import { SUITES } from '../../scripts/bench/suites/index.ts';
import { runSuites } from '../../scripts/bench/run.ts';
import { buildResults } from '../../scripts/bench/results.ts';
import { percentile } from '../../lib/percentile.ts';

const DATABASE_SUITES = SUITES.filter((suite) => suite.name !== 'service');

describe('the benchmark harness at smoke size', () => {
  test('every database suite runs, its paired variants return equal data, and every figure is well formed', async ({ database }) => {
    const results = await runSuites({
      size: 'smoke',
      suites: DATABASE_SUITES,
      adminUrl: inject('adminUrl'),
      databasePrefix: cloneName(inject('runId'), 'bench'),
      storefront: { pool: database.pool, db: database.db },
      databaseSource: inject('databaseSource'),
      progress: () => {},
      log: () => {},
    });

    expect(Object.keys(results.suites)).toEqual(DATABASE_SUITES.map((s) => s.name));
    expect(results.environment).toMatchObject({
      postgres: expect.stringMatching(/^PostgreSQL \d+/),
      cpuCount: expect.any(Number),
      node: process.version,
    });
    expect(results.environment.gitCommit).not.toBe('');

    for (const [name, suite] of Object.entries(results.suites)) {
      expect(suite.checks.length, `${name} compares its variants`).toBeGreaterThan(0);
      for (const check of suite.checks) expect(check.equal, check.name).toBe(true);
      for (const m of suite.measurements) {
        expect(m.samples, m.id).toBe(2);
        expect(m.min, m.id).toBeGreaterThan(0);
        expect(m.min <= m.median && m.median <= m.p95, `${m.id}: min <= median <= p95`).toBe(true);
        expect(Number.isInteger(m.rows) && m.rows >= 0, m.id).toBe(true);
        expect(m.queries >= 0, m.id).toBe(true);
      }
      for (const [metric, value] of Object.entries(suite.metrics)) {
        expect(typeof value.value === 'string' || Number.isFinite(value.value), metric).toBe(true);
        expect(metric.startsWith(`${name}.`), metric).toBe(true);
      }
    }
    // Queries sent are counted on the connection: the N+1 loop really sends 1 + N.
    expect(results.metrics['relations.loop.n5.queries']?.value).toBe(6);
    expect(results.metrics['relations.json-array-from.n5.queries']?.value).toBe(1);
    expect(results.metrics['caching.hit.getProduct.queries']?.value).toBe(0);
    expect(results.metrics['trees.cte.200.all.rows']?.value).toBe(200);
    // Every suite's figures reach the flat map pages cite from.
    expect(Object.keys(buildResults(results.environment, 'smoke', results.suites).metrics).length).toBe(
      Object.values(results.suites).reduce((n, s) => n + Object.keys(s.metrics).length, 0),
    );
  });

  test('percentiles use the nearest rank', () => {
    const samples = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(10);
    expect(percentile(samples, 95)).toBe(19);
    expect(percentile([3], 95)).toBe(3);
  });
});
