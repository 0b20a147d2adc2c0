// Pages cite measured figures by name; these are the rules they rely on.
import { describe, expect, test } from 'vitest';
import { formatMetric, getMetric, loadBenchResults } from '../../site/lib/bench-results.ts';
import { layoutChart } from '../../site/lib/bench-chart.ts';

describe('citing a benchmark figure', () => {
  test('a metric missing from the results file throws an error naming the page and the metric', () => {
    expect(() => getMetric('trees.cte.10k.s100.medain', '/guide/trees/')).toThrow(
      /page \/guide\/trees\/: metric "trees\.cte\.10k\.s100\.medain" is not in site\/data\/bench-results\.json/,
    );
  });

  test('every metric in the committed results file has a value and a unit', () => {
    const results = loadBenchResults('/test/');
    expect(Object.keys(results.metrics).length).toBeGreaterThan(100);
    for (const [name, metric] of Object.entries(results.metrics)) {
      expect(typeof metric.value === 'string' || Number.isFinite(metric.value), name).toBe(true);
      expect(formatMetric(metric), name).not.toBe('');
    }
  });

  test('figures are shown with their unit', () => {
    expect(formatMetric({ value: 0.0005, unit: 'ms' })).toBe('0.5 µs');
    expect(formatMetric({ value: 0.721, unit: 'ms' })).toBe('0.721 ms');
    expect(formatMetric({ value: 1206.4, unit: 'ms' })).toBe('1,206 ms');
    expect(formatMetric({ value: 2.314, unit: 'x' })).toBe('2.3×');
    expect(formatMetric({ value: 57.6, unit: '%' })).toBe('57.6 %');
    expect(formatMetric({ value: 6.58, unit: 'us' })).toBe('6.6 µs');
  });

  test('a chart marks the fastest bar of each group, ignoring reference bars', () => {
    const bar = (label: string, value: number) => ({ label, metric: label, value, text: String(value) });
    const chart = layoutChart([{ label: 'g', bars: [bar('cte', 2), bar('load-all', 3), bar('in-memory', 1)] }], true, ['in-memory']);
    expect(chart.groups[0]!.bars.map((b) => b.best)).toEqual([true, false, false]);
    expect(chart.groups[0]!.bars[2]!.width).toBeGreaterThan(0);
  });
});
