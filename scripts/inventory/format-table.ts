// The inventory as a terminal table: one line per site, then the totals.
import type { Inventory, Site } from './inventory.ts';

const SQL_WIDTH = 60;

export function formatTable(inventory: Inventory): string {
  const rows = inventory.sites.map((site) => [
    `${site.file}:${site.line}`,
    site.function,
    site.via ? `${site.kind} (${site.via})` : site.kind,
    statusText(site),
    site.tables.length ? site.tables.join(', ') : site.tablesSource === 'parsed' ? '-' : '?',
    sqlText(site),
  ]);
  const header = ['location', 'function', 'kind', 'status', 'tables', 'sql'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const { totals } = inventory;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${inventory.files} files, ${totals.sites} sites: ${totals.raw} raw, ${totals.kysely} kysely, ${totals.allowed} allowed` +
      ` (${totals.wrappers} inside wrappers, ${totals.wrapperCalls} calls to wrappers, ${totals.dynamicRaw} raw with dynamic SQL)`,
    '',
  ].join('\n');
}

function statusText(site: Site): string {
  if (site.status !== 'allowed') return site.status;
  const reason = site.reason ?? '';
  return `allowed: ${reason.length > 40 ? `${reason.slice(0, 39)}…` : reason}`;
}

function sqlText(site: Site): string {
  if (site.kind === 'kysely-builder') return '(query builder)';
  if (site.sql === undefined) return 'dynamic';
  const text = site.sql.replace(/\s+/g, ' ').trim();
  return text.length > SQL_WIDTH ? `${text.slice(0, SQL_WIDTH - 1)}…` : text;
}
