// Lays out a horizontal grouped bar chart as plain numbers; BenchChart.astro draws it as SVG.
export interface ChartBarInput {
  label: string;
  metric: string;
}

export interface ChartGroupInput {
  label: string;
  bars: ChartBarInput[];
}

export interface LaidOutBar {
  label: string;
  metric: string;
  value: number;
  text: string;
  y: number;
  width: number;
  /** The smallest value in its group: drawn in the accent colour. */
  best: boolean;
}

export interface LaidOutGroup {
  label: string;
  y: number;
  bars: LaidOutBar[];
}

export const LAYOUT = { width: 720, labelWidth: 130, valueWidth: 90, barHeight: 16, barGap: 4, groupGap: 14, groupLabel: 20, top: 8, axis: 26 };

/** `exclude`: bar labels that are shown but not in the race for fastest (e.g. a reference). */
export function layoutChart(groups: { label: string; bars: { label: string; metric: string; value: number; text: string }[] }[], log: boolean, exclude: readonly string[] = []) {
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const plot = LAYOUT.width - LAYOUT.labelWidth - LAYOUT.valueWidth;
  // On a log scale the smallest value still gets a visible bar.
  const floor = log ? min / 2 : 0;
  const scale = (v: number) =>
    log ? (plot * (Math.log10(v) - Math.log10(floor))) / (Math.log10(max) - Math.log10(floor) || 1) : (plot * v) / (max || 1);
  let y = LAYOUT.top;
  const laidOut: LaidOutGroup[] = groups.map((group) => {
    const groupY = y;
    y += LAYOUT.groupLabel;
    const racing = group.bars.filter((b) => !exclude.includes(b.label));
    const best = Math.min(...racing.map((b) => b.value));
    const bars = group.bars.map((bar) => {
      const laid = { ...bar, y, width: Math.max(2, scale(bar.value)), best: racing.length > 1 && !exclude.includes(bar.label) && bar.value === best };
      y += LAYOUT.barHeight + LAYOUT.barGap;
      return laid;
    });
    y += LAYOUT.groupGap;
    return { label: group.label, y: groupY, bars };
  });
  return { groups: laidOut, height: y + LAYOUT.axis, plot };
}
