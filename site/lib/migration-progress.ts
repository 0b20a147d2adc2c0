// Build-time access to site/data/migration-progress.json, written by
// `npm run inventory -- --progress` and checked for drift by test/unit/inventory/storefront-progress.test.ts.
// Pages name a count ("totals.raw", "function.placeOrder.kysely", "table.products.raw");
// a name that is not in the file fails the build.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../../scripts/inventory/progress.ts';

export const PROGRESS_FILE = 'site/data/migration-progress.json';
export const STATUSES = ['raw', 'kysely', 'allowed'] as const;
export type ProgressStatus = (typeof STATUSES)[number];

let cached: Progress | undefined;

export function loadProgress(page: string): Progress {
  if (cached) return cached;
  const path = join(process.cwd(), PROGRESS_FILE);
  if (!existsSync(path)) throw new Error(`[progress] page ${page}: ${PROGRESS_FILE} does not exist. Run \`npm run inventory -- --progress\`.`);
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
    throw new Error(`[progress] page ${page}: "${name}" is not in ${PROGRESS_FILE} (use totals.<field>, function.<name>.<status>, table.<name>.<status> or files.<status>)`);
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

export const PROGRESS_LAYOUT = { width: 720, labelWidth: 170, valueWidth: 110, barHeight: 16, barGap: 6, top: 8, legend: 28 };

/** Stacked bars, one per row: raw, then Kysely, then allowed, on one linear scale from zero. */
export function layoutProgress(rows: readonly ProgressRow[]) {
  const max = Math.max(1, ...rows.map((row) => row.raw + row.kysely + row.allowed));
  const plot = PROGRESS_LAYOUT.width - PROGRESS_LAYOUT.labelWidth - PROGRESS_LAYOUT.valueWidth;
  let y = PROGRESS_LAYOUT.top;
  const laidOut = rows.map((row) => {
    let x = PROGRESS_LAYOUT.labelWidth;
    const segments = STATUSES.filter((status) => row[status] > 0).map((status) => {
      const width = (plot * row[status]) / max;
      const segment = { status, x, width, count: row[status] };
      x += width;
      return segment;
    });
    const laid = { ...row, y, segments, end: x };
    y += PROGRESS_LAYOUT.barHeight + PROGRESS_LAYOUT.barGap;
    return laid;
  });
  return { rows: laidOut, height: y + PROGRESS_LAYOUT.legend, max };
}
