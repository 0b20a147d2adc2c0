import { createServer, type Server } from 'node:http';
import { test, describe, expect, afterAll } from '../harness/database.ts';
import { runbook } from './run-runbook.ts';

/** A metrics endpoint whose counters grow by `hits` and `misses` between two scrapes, like a service under load. */
function metricsServer(hits: number, misses: number): Promise<{ url: string; server: Server }> {
  let scrapes = 0;
  const server = createServer((_req, res) => {
    scrapes++;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(
      [
        '# TYPE storefront_cache_hits_total counter',
        `storefront_cache_hits_total{cache="product"} ${1000 + hits * scrapes}`,
        '# TYPE storefront_cache_misses_total counter',
        `storefront_cache_misses_total{cache="product"} ${5 + misses * scrapes}`,
      ].join('\n'),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`, server }),
    ),
  );
}

describe('cache-hit-rate runbook', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  test('exits 0 on a healthy database and says when the metrics endpoint is unreachable', async ({ database }) => {
    const result = await runbook('cache-hit-rate', ['--window', '500ms', '--metrics-url', 'http://127.0.0.1:1/metrics'], {
      url: database.url,
    });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('application metrics not reachable at http://127.0.0.1:1/metrics');
  });

  test('exits 1 when the app cache answers fewer reads than the baseline during the window, though its lifetime rate is high (STOREFRONT_METRICS_URL)', async ({
    database,
  }) => {
    const { url, server } = await metricsServer(30, 70);
    servers.push(server);
    const result = await runbook('cache-hit-rate', ['--window', '500ms'], { url: database.url, env: { STOREFRONT_METRICS_URL: url } });
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain('application cache: 30.00% hits during 0.5s (30 hits, 70 misses');
    expect(result.stdout).toContain('most misses: the "product" cache');
  });

  test('without Prometheus it says which part of the alerts SQL cannot see and prints their PromQL', async ({ database }) => {
    const result = await runbook('cache-hit-rate', ['--window', '500ms'], { url: database.url });
    expect(result.stdout).toContain('not checked: PostgresLowBufferCacheHitRatio looks at the last 5 minutes');
    expect(result.stdout).toContain('rate(pg_stat_database_blks_hit{datname!~"template0|template1|"}[5m])');
    expect(result.stdout).toContain('not checked: StorefrontLowCacheHitRate');
  });

  test('a bad --prometheus-url is bad usage (exit 2)', async ({ database }) => {
    const result = await runbook('cache-hit-rate', ['--window', '500ms', '--prometheus-url', 'ftp://x'], { url: database.url });
    expect(result.code, result.output).toBe(2);
    expect(result.stderr).toContain('--prometheus-url must be an http:// or https:// URL');
  });

  test('exits 0 when the app cache hit rate is above the baseline', async ({ database }) => {
    const { url, server } = await metricsServer(95, 5);
    servers.push(server);
    const result = await runbook('cache-hit-rate', ['--window', '500ms', '--metrics-url', url], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });
});
