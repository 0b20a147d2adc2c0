// Build-time access to site/data/migration-progress.json, written by
// `npm run inventory -- --progress` and checked for drift by test/unit/inventory/storefront-progress.test.ts.
// Pages name a count ("totals.raw", "function.placeOrder.kysely", "table.products.raw");
// a name that is not in the file fails the build.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import type { Progress } from '../../scripts/inventory/progress.ts';
import { textWidth } from './bench-chart.ts';

export const PROGRESS_FILE = 'site/data/migration-progress.json';
const STATUSES = ['raw', 'kysely', 'allowed'] as const;
type ProgressStatus = (typeof STATUSES)[number];

let cached: Progress | undefined;

export function loadProgress(page: string): Progress {
  if (cached) return cached;
  const path = join(PROJECT_ROOT, PROGRESS_FILE);
  if (!existsSync(path))
    throw new Error(`[progress] page ${page}: ${PROGRESS_FILE} does not exist. Run \`npm run inventory -- --progress\`.`);
  cached = JSON.parse(readFileSync(path, 'utf8')) as Progress;
  return cached;
}

export function progressCount(name: string, page: string): number {
  const progress = loadProgress(page);
  const [scope, ...rest] = name.split('.');
  const key = rest.slice(0, -1).join('.');
  const field = rest.at(-1);
  let value: unknown;
  if (scope === 'totals') value = (progress.totals as unknown as Record<string, unknown>)[rest.join('.')];
  else if (scope === 'function') value = progress.byFunction.find((row) => row.function === key)?.[field as ProgressStatus];
  else if (scope === 'table') value = progress.byTable.find((row) => row.table === key)?.[field as ProgressStatus];
  else if (scope === 'files') value = new Set(progress.sites.filter((site) => site.status === rest[0]).map((site) => site.file)).size;
  if (typeof value !== 'number') {
    throw new Error(
      `[progress] page ${page}: "${name}" is not in ${PROGRESS_FILE} (use totals.<field>, function.<name>.<status>, table.<name>.<status> or files.<status>)`,
    );
  }
  return value;
}

export interface ProgressRow {
  label: string;
  raw: number;
  kysely: number;
  allowed: number;
}

export function progressRows(by: 'function' | 'table', page: string): ProgressRow[] {
  const progress = loadProgress(page);
  return by === 'function'
    ? progress.byFunction.map(({ function: label, raw, kysely, allowed }) => ({ label, raw, kysely, allowed }))
    : progress.byTable.map(({ table: label, raw, kysely, allowed }) => ({ label, raw, kysely, allowed }));
}

/**
 * Sizes in viewBox units, as in bench-chart.ts: the chart is laid out twice, wide (a label
 * column, the bar, its counts) and narrow (each bar under a line with its label and counts),
 * and ProgressChart.astro shows the one whose text is at least 12 CSS px at the width it gets.
 */
interface ProgressSize {
  width: number;
  /** Text size at a scale of 1. */
  font: number;
  /** Each bar under its own label line instead of beside a label column. */
  stacked: boolean;
}

export const PROGRESS_WIDE: ProgressSize = { width: 720, font: 15, stacked: false };
export const PROGRESS_NARROW: ProgressSize = { width: 360, font: 15, stacked: true };

/** "6 raw · 4 kysely": the row's non-zero counts. */
function progressValueText(row: ProgressRow): string {
  return STATUSES.filter((status) => row[status] > 0)
    .map((status) => `${row[status]} ${status}`)
    .join(' · ');
}

const PROGRESS_NAMES: Record<ProgressStatus, string> = { raw: 'raw SQL', kysely: 'Kysely', allowed: 'allowed' };

/**
 * Stacked bars, one per row: raw, then Kysely, then allowed, on one linear scale from zero.
 * The label column and the room for the counts are measured from the data, so no label is
 * clipped; when they would leave the bars less than a third of the width, the rows stack.
 */
export function layoutProgress(rows: readonly ProgressRow[], size: ProgressSize = PROGRESS_WIDE) {
  const { width, font } = size;
  const line = Math.round(font * 1.35);
  const barHeight = Math.round(font * (size.stacked ? 0.8 : 1.1));
  const gap = Math.round(font * 0.45);
  const max = Math.max(1, ...rows.map((row) => row.raw + row.kysely + row.allowed));
  const labelWidth = Math.ceil(Math.max(0, ...rows.map((row) => textWidth(row.label, font))) + font * 0.6);
  const valueWidth = Math.ceil(Math.max(0, ...rows.map((row) => textWidth(progressValueText(row), font))) + font * 0.5);
  const stacked = size.stacked || width - labelWidth - valueWidth < width / 3;
  const x0 = stacked ? 1 : labelWidth;
  const plot = stacked ? width - 2 : width - labelWidth - valueWidth;
  let y = Math.round(font * 0.5);
  const top = y;
  const laidOut = rows.map((row) => {
    const value = progressValueText(row);
    // Stacked: the label on a line of its own, the counts at its right end when they fit
    // beside it, else on the next line; the bar below them.
    const valueBeside = textWidth(row.label, font) + font + textWidth(value, font) <= width;
    const labelY = stacked ? y + font : y + barHeight / 2 + font * 0.35;
    const valueY = stacked && !valueBeside ? labelY + line : labelY;
    if (stacked) y = valueY + Math.round(font * 0.4);
    let x = x0;
    const segments = STATUSES.filter((status) => row[status] > 0).map((status) => {
      const segmentWidth = (plot * row[status]) / max;
      const segment = { status, x, width: segmentWidth, count: row[status] };
      x += segmentWidth;
      return segment;
    });
    const laid = {
      ...row,
      value,
      y,
      segments,
      end: x,
      labelX: stacked ? 0 : x0 - font * 0.5,
      labelY,
      labelAnchor: stacked ? ('start' as const) : ('end' as const),
      valueX: stacked ? (valueBeside ? width : 0) : x + font * 0.4,
      valueY,
      valueAnchor: stacked && valueBeside ? ('end' as const) : ('start' as const),
    };
    y += barHeight + gap + (stacked ? Math.round(font * 0.3) : 0);
    return laid;
  });
  const axisBottom = y - gap + 2;
  // The legend: one swatch and name per status, wrapped onto as many lines as the width needs.
  const legend: { status: ProgressStatus; label: string; x: number; y: number }[] = [];
  let legendX = stacked ? 0 : x0;
  y += line;
  for (const status of STATUSES) {
    const needed = font * 1.2 + textWidth(PROGRESS_NAMES[status], font) + font * 1.5;
    if (legendX > (stacked ? 0 : x0) && legendX + needed > width) {
      legendX = stacked ? 0 : x0;
      y += line;
    }
    legend.push({ status, label: PROGRESS_NAMES[status], x: legendX, y });
    legendX += needed;
  }
  const height = y + Math.round(font * 0.5);
  return { rows: laidOut, legend, height, width, font, barHeight, x0, top, axisBottom, max, stacked };
}
