import { describe, expect } from 'vitest';
import { test } from '../harness/database.ts';
import { requestPaths, runServiceLoad } from '../../scripts/load/service-load.ts';

describe('the service load run (smoke size)', () => {
  test('reports p95 response time, error rate, cache hit rate and query p95 from a real run on loopback', async ({ database }) => {
    const figures = await runServiceLoad({ quick: true, databaseUrl: database.url, requests: 80 });
    expect(figures.requests).toBe(80);
    expect(figures.errorRatePercent).toBe(0);
    expect(figures.p95ResponseMs).toBeGreaterThan(0);
    expect(figures.queryP95Ms).toBeGreaterThan(0);
    expect(figures.cacheHitRatePercent).toBeGreaterThanOrEqual(0);
    expect(figures.cacheHitRatePercent).toBeLessThanOrEqual(100);
    expect(typeof figures.baselineBreaches).toBe('string');
  });

  test('sends the same requests on every run, so two runs are comparable', () => {
    expect(requestPaths(50)).toEqual(requestPaths(50));
    expect(new Set(requestPaths(200)).size).toBeGreaterThan(20);
  });
});
