// What a reader takes from a benchmark chart: which variant won (or that it was a tie, by the
// same rule the benchmark uses), in one unit, on an axis whose ticks show the scale.
import { describe, expect, test } from 'vitest';
import { NARROW, TIE_RATIO, WIDE, chooseUnit, layoutChart, textWidth } from '../../site/lib/bench-chart.ts';
import { TIE_RATIO as BENCH_TIE_RATIO } from '../../scripts/bench/suites/trees.ts';

const bar = (label: string, value: number, unit = 'ms') => ({ label, metric: `m.${label}.${value}`, value, text: String(value), unit });

describe('benchmark chart layout', () => {
  test('uses the tie ratio the benchmark findings use', () => {
    expect(TIE_RATIO).toBe(BENCH_TIE_RATIO);
  });

  test('labels a win only when the runner-up is more than the tie ratio slower, otherwise a tie', () => {
    const chart = layoutChart(
      [
        { label: 'close', bars: [bar('legacy', 129), bar('kysely', 130)] },
        { label: 'clear', bars: [bar('legacy', 100), bar('kysely', 200)] },
      ],
      false,
    );
    expect(chart.groups[0]!.bars.map((b) => b.verdict)).toEqual(['tie', 'tie']);
    expect(chart.groups[1]!.bars.map((b) => b.verdict)).toEqual(['fastest', undefined]);
  });

  test('a reference bar is drawn but never wins', () => {
    const chart = layoutChart([{ label: 'g', bars: [bar('cte', 2), bar('load-all', 3), bar('in-memory', 1)] }], true, ['in-memory']);
    expect(chart.groups[0]!.bars.map((b) => [b.verdict, b.reference])).toEqual([
      ['fastest', false],
      [undefined, false],
      [undefined, true],
    ]);
  });

  test('writes every value and tick of a time chart in one unit', () => {
    const chart = layoutChart([{ label: 'g', bars: [bar('hit', 3, 'us'), bar('db', 0.01), bar('miss', 0.5)] }], true);
    expect(chart.unit?.name).toBe('µs');
    expect(chart.groups[0]!.bars.map((b) => b.text)).toEqual(['3 µs', '10 µs', '500 µs']);
    expect(new Set(chart.ticks.map((tick) => tick.text.split(' ')[1]))).toEqual(new Set(['µs']));
    expect(chooseUnit([bar('a', 88), bar('b', 1.2)])?.name).toBe('ms');
  });

  test('a log axis spanning decades has a labelled tick at each power of ten', () => {
    const chart = layoutChart([{ label: 'g', bars: [bar('join', 1), bar('loop', 88)] }], true);
    const labelled = chart.ticks.filter((tick) => tick.labelled).map((tick) => tick.value);
    expect(labelled).toEqual(expect.arrayContaining([1, 10]));
    // The bar lengths keep the ratio readable against the gridlines: 88× is log10(88) decades.
    const [join, loop] = chart.groups[0]!.bars;
    const decade = chart.ticks.find((tick) => tick.value === 10)!.x - chart.ticks.find((tick) => tick.value === 1)!.x;
    expect((loop!.width - join!.width) / decade).toBeCloseTo(Math.log10(88), 2);
  });

  test('one colour per series across groups, with a legend entry each', () => {
    const chart = layoutChart(
      ['a', 'b'].map((group) => ({ label: group, bars: [bar('legacy', 2), bar('kysely', 1)] })),
      false,
    );
    expect(chart.legend.map((entry) => entry.label)).toEqual(['legacy', 'kysely']);
    expect(chart.groups.map((group) => group.bars.map((b) => b.series))).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  for (const size of [WIDE, NARROW]) {
    test(`at ${size.width} units wide, no label runs past the edge`, () => {
      const chart = layoutChart([{ label: 'g', bars: [bar('json-array-from', 1234.5), bar('where-in', 1300)] }], true, [], size);
      for (const group of chart.groups) {
        for (const b of group.bars) {
          const value = `${b.text} · ${b.verdict ?? ''}`;
          expect(textWidth(b.label, size.font) + textWidth(value, size.font) + size.font).toBeLessThanOrEqual(size.width);
        }
      }
      for (const line of chart.titleLines) expect(textWidth(line, size.font)).toBeLessThanOrEqual(size.width);
    });
  }
});
