// Lays out a grouped horizontal bar chart as plain numbers; BenchChart.astro draws it as SVG.
// Each bar sits under a line holding its series name and its value, so nothing is clipped and
// the plot spans the full width; the chart is laid out twice (a wide and a narrow viewBox) so
// that its text is at least 12 CSS px wherever it is shown.
interface ChartBarInput {
  label: string;
  metric: string;
}

export interface ChartGroupInput {
  label: string;
  bars: ChartBarInput[];
}

/**
 * The runner-up within this ratio of the fastest is a tie, not a loss. The same rule as the
 * benchmark's findings (TIE_RATIO in scripts/bench/suites/trees.ts; a unit test keeps them equal).
 */
export const TIE_RATIO = 1.15;

interface LaidOutBar {
  label: string;
  metric: string;
  value: number;
  /** The value in the chart's one unit. */
  text: string;
  /** Index into the chart's series (colour and legend). */
  series: number;
  y: number;
  width: number;
  /** The smallest value in its group among the bars in the race. */
  best: boolean;
  /** "fastest" when it wins by more than the tie ratio, "tie" when within it of the fastest. */
  verdict?: 'fastest' | 'tie';
  reference: boolean;
}

interface LaidOutGroup {
  label: string;
  y: number;
  bars: LaidOutBar[];
}

interface Tick {
  value: number;
  x: number;
  text: string;
  /** Whether the label is drawn (labels that would collide are left out; the gridline stays). */
  labelled: boolean;
  anchor: 'start' | 'middle' | 'end';
}

/** Sizes in viewBox units. `font` is the text size at a scale of 1. */
export interface ChartSize {
  width: number;
  font: number;
}

export const WIDE: ChartSize = { width: 720, font: 15 };
export const NARROW: ChartSize = { width: 360, font: 15 };

/** The per-chart unit: every value and tick of a time chart is written in the same one. */
export interface ChartUnit {
  name: string;
  /** Multiplier from the metric's own value to this unit. */
  factor: number;
}

type BarInput = { label: string; metric: string; value: number; text: string; unit?: string };

/** µs, ms or s, whichever keeps the largest value between 1 and 1,000 (metric values in ms or us). */
export function chooseUnit(bars: { value: number; unit?: string }[]): ChartUnit | undefined {
  if (bars.length === 0 || !bars.every((bar) => bar.unit === 'ms' || bar.unit === 'us')) return undefined;
  const maxMs = Math.max(...bars.map((bar) => (bar.unit === 'us' ? bar.value / 1000 : bar.value)));
  if (maxMs < 1) return { name: 'µs', factor: 1000 };
  if (maxMs >= 10_000) return { name: 's', factor: 1 / 1000 };
  return { name: 'ms', factor: 1 };
}

/** A number with about three significant digits, thousands separated. */
function formatNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(abs)));
  return Number(value.toFixed(decimals)).toLocaleString('en-US', { maximumFractionDigits: decimals });
}

const niceSteps = [1, 2, 5];
/** 1-2-5 values from the largest one <= low to the smallest one >= high. */
function niceRange(low: number, high: number): number[] {
  const values: number[] = [];
  for (let exponent = Math.floor(Math.log10(low)) - 1; exponent <= Math.ceil(Math.log10(high)) + 1; exponent += 1) {
    for (const step of niceSteps) values.push(Number((step * 10 ** exponent).toPrecision(1)));
  }
  const from = values.filter((v) => v <= low).at(-1) ?? values[0]!;
  const to = values.find((v) => v >= high) ?? values.at(-1)!;
  return values.filter((v) => v >= from && v <= to);
}

/** Roughly width of a text in viewBox units (system sans-serif, digits and lowercase). */
export const textWidth = (text: string, font: number) => text.length * font * 0.6;

/**
 * `exclude`: bar labels that are shown but not in the race for fastest (e.g. a reference).
 * Bars with the same label in different groups are one series: one colour, one legend entry.
 */
export function layoutChart(
  groups: { label: string; bars: BarInput[] }[],
  log: boolean,
  exclude: readonly string[] = [],
  size: ChartSize = WIDE,
) {
  const { width, font } = size;
  const line = Math.round(font * 1.35);
  const barHeight = Math.round(font * 0.8);
  const all = groups.flatMap((group) => group.bars);
  const unit = chooseUnit(all);
  const inUnit = (bar: BarInput) => (unit ? (bar.unit === 'us' ? bar.value / 1000 : bar.value) * unit.factor : bar.value);
  const format = (bar: BarInput) => (unit ? `${formatNumber(inUnit(bar))} ${unit.name}` : bar.text);
  const series = [...new Set(all.map((bar) => bar.label))];

  const values = all.map(inUnit).filter((v) => v > 0);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const range = log ? niceRange(min / 1.5, max) : niceRange(max / 4, max);
  const low = log ? range[0]! : 0;
  const high = range.at(-1)!;
  const plot = width - 2;
  const x = (v: number) =>
    1 +
    (log
      ? (plot * (Math.log10(Math.max(v, low)) - Math.log10(low))) / (Math.log10(high) - Math.log10(low) || 1)
      : (plot * v) / (high || 1));

  // Legend: one swatch and name per series, wrapped onto as many lines as the width needs.
  const legend: { series: number; label: string; x: number; y: number }[] = [];
  let legendX = 0;
  let y = line;
  series.forEach((label, index) => {
    const needed = font * 1.2 + textWidth(label, font) + font;
    if (legendX > 0 && legendX + needed > width) {
      legendX = 0;
      y += line;
    }
    legend.push({ series: index, label, x: legendX, y });
    legendX += needed;
  });
  y += Math.round(font * 0.9);

  const top = y;
  const laidOut: LaidOutGroup[] = groups.map((group) => {
    const groupY = y + line;
    y += line + Math.round(font * 0.3);
    const racing = group.bars.filter((bar) => !exclude.includes(bar.label));
    const best = Math.min(...racing.map(inUnit));
    const sorted = racing.map(inUnit).sort((a, b) => a - b);
    const tie = sorted.length > 1 && sorted[1]! <= best * TIE_RATIO;
    const bars = group.bars.map((bar) => {
      const reference = exclude.includes(bar.label);
      const value = inUnit(bar);
      const isBest = racing.length > 1 && !reference && value === best;
      const verdict =
        racing.length < 2 || reference
          ? undefined
          : tie
            ? value <= best * TIE_RATIO
              ? ('tie' as const)
              : undefined
            : isBest
              ? ('fastest' as const)
              : undefined;
      y += line;
      const laid: LaidOutBar = {
        label: bar.label,
        metric: bar.metric,
        value: bar.value,
        text: format(bar),
        series: series.indexOf(bar.label),
        y,
        width: Math.max(2, x(value) - 1),
        best: isBest,
        verdict,
        reference,
      };
      y += barHeight + Math.round(font * 0.35);
      return laid;
    });
    y += Math.round(font * 0.6);
    return { label: group.label, y: groupY, bars };
  });
  const axisY = y;

  // Ticks: on a log axis every power of ten (and 2 and 5 when the axis spans under two
  // decades); on a linear axis the 1-2-5 steps. Labels that would overlap are dropped.
  const decades = log ? Math.log10(high / low) : 0;
  const isPowerOfTen = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  const tickValues = log ? range.filter((v) => decades < 2 || isPowerOfTen(v)) : linearTicks(high);
  const ticks: Tick[] = [];
  let lastRight = -Infinity;
  for (const value of tickValues) {
    const tx = x(value);
    const text = unit ? `${formatNumber(value)} ${unit.name}` : formatNumber(value);
    const w = textWidth(text, font);
    const anchor = tx - w / 2 < 0 ? 'start' : tx + w / 2 > width ? 'end' : 'middle';
    const left = anchor === 'start' ? tx : anchor === 'end' ? tx - w : tx - w / 2;
    const labelled = left > lastRight + font * 0.6;
    if (labelled) lastRight = left + w;
    ticks.push({ value, x: tx, text, labelled, anchor });
  }
  const axisTitle = `${unit ? `median, ${unit.name}` : 'median'}, ${!log ? 'linear scale from zero' : decades >= 2 ? 'logarithmic scale: each gridline is ten times the one before' : 'logarithmic scale'}`;
  // The axis title wraps onto as many lines as the width needs.
  const titleLines: string[] = [];
  for (const word of axisTitle.split(' ')) {
    const last = titleLines.at(-1);
    if (last !== undefined && textWidth(`${last} ${word}`, font) <= width - 4) titleLines[titleLines.length - 1] = `${last} ${word}`;
    else titleLines.push(word);
  }
  const titleTop = axisY + line * 2 + Math.round(font * 0.2);
  const height = titleTop + (titleLines.length - 1) * line + Math.round(font * 0.5);
  return {
    groups: laidOut,
    legend,
    series,
    ticks,
    top,
    axisY,
    height,
    width,
    font,
    barHeight,
    line,
    plot,
    unit,
    axisTitle,
    titleLines,
    titleTop,
  };
}

function linearTicks(high: number): number[] {
  const raw = high / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = (niceSteps.find((s) => s * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = 0; v <= high + step / 1000; v += step) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}
