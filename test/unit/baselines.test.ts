// The baselines follow the measurements in site/data/bench-results.json: a test fails
// when someone types a threshold instead of deriving it, or when the headroom no longer
// separates the measured healthy run from a run that breaks the baseline.
import { describe, expect, test } from 'vitest';
import bench from '../../site/data/bench-results.json' with { type: 'json' };
import { BASELINES, CACHE_FLOOR_SHARE, DERIVATIONS, LATENCY_HEADROOM, baseline, meetsBaseline } from '../../monitoring/baselines.ts';
import { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS } from '../../snippets/service/histogram-buckets.ts';

const metric = (name: string) => (bench as unknown as { metrics: Record<string, { value: number }> }).metrics[name]!.value;

describe('the baselines', () => {
  test('each names the measurement it comes from, and that measurement is in bench-results.json', () => {
    for (const entry of BASELINES) {
      const derivation = DERIVATIONS[entry.id];
      expect(derivation.source, entry.id).toBeDefined();
      expect(derivation.measured).toBe(metric(derivation.source!));
      expect(derivation.rule.length).toBeGreaterThan(20);
    }
  });

  test('latency baselines sit at the smallest bucket edge at or above the headroom times the measured p95', () => {
    for (const [id, edges] of [
      ['responseTimeP95', HTTP_BUCKETS_SECONDS],
      ['queryTimeP95', QUERY_BUCKETS_SECONDS],
    ] as const) {
      const raw = (DERIVATIONS[id].measured! / 1000) * LATENCY_HEADROOM;
      const threshold = baseline(id).threshold;
      expect(edges).toContain(threshold);
      expect(threshold).toBeGreaterThanOrEqual(raw);
      expect(edges.filter((edge) => edge >= raw && edge < threshold)).toEqual([]);
    }
  });

  test('the measured healthy run meets every baseline, and a run slower by the headroom or with a colder cache breaks it', () => {
    expect(meetsBaseline('responseTimeP95', metric('service.serverP95ResponseMs') / 1000)).toBe(true);
    expect(meetsBaseline('queryTimeP95', metric('service.queryP95Ms') / 1000)).toBe(true);
    expect(meetsBaseline('cacheHitRate', metric('service.cacheHitRatePercent') / 100)).toBe(true);
    expect(meetsBaseline('errorRate', metric('service.errorRatePercent') / 100)).toBe(true);
    expect(meetsBaseline('responseTimeP95', baseline('responseTimeP95').threshold * 1.01)).toBe(false);
    expect(meetsBaseline('queryTimeP95', baseline('queryTimeP95').threshold * 1.01)).toBe(false);
    expect(meetsBaseline('cacheHitRate', (metric('service.cacheHitRatePercent') / 100) * CACHE_FLOOR_SHARE * 0.95)).toBe(false);
  });
});
