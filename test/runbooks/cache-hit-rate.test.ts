import { createServer, type Server } from 'node:http';
import { test, describe, expect, afterAll } from '../harness/database.ts';
import { runbook } from './run-runbook.ts';

function metricsServer(hits: number, misses: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(
      [
        '# TYPE storefront_cache_hits_total counter',
        `storefront_cache_hits_total{cache="product"} ${hits}`,
        '# TYPE storefront_cache_misses_total counter',
        `storefront_cache_misses_total{cache="product"} ${misses}`,
      ].join('\n'),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`, server })));
}

describe('cache-hit-rate runbook', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  test('exits 0 on a healthy database and says when the metrics endpoint is unreachable', async ({ database }) => {
    const result = await runbook('cache-hit-rate', ['--metrics-url', 'http://127.0.0.1:1/metrics'], { url: database.url });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('application metrics not reachable at http://127.0.0.1:1/metrics');
  });

  test('exits 1 when the app cache answers fewer reads than the baseline, read from STOREFRONT_METRICS_URL', async ({ database }) => {
    const { url, server } = await metricsServer(30, 70);
    servers.push(server);
    const result = await runbook('cache-hit-rate', [], { url: database.url, env: { STOREFRONT_METRICS_URL: url } });
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain('application cache: 30.00% hits (30 hits, 70 misses');
  });

  test('exits 0 when the app cache hit rate is above the baseline', async ({ database }) => {
    const { url, server } = await metricsServer(95, 5);
    servers.push(server);
    const result = await runbook('cache-hit-rate', ['--metrics-url', url], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });
});
