// Turns the sites find-sites.ts reports into the inventory a team works from: each site with
// its tables and a status, and the counts per function and per table that the progress page
// and the baseline check use.
import { DYNAMIC_PART, findSites, type FoundSite, type SourceInput } from './find-sites.ts';
import { loadSqlParser, tablesOf, tablesOfSkeleton, type TablesSource } from './sql-tables.ts';

export type Status = 'raw' | 'kysely' | 'allowed';

export interface AllowEntry {
  /** A file, or a folder ending in "/", relative to where the inventory runs. */
  file: string;
  /** Only this function in the file (as the inventory names it); all of the file when absent. */
  function?: string;
  reason: string;
}

export interface InventoryConfig {
  /** Files and folders to scan. */
  paths: string[];
  /** Files where raw SQL is expected until the migration deletes them (the guardrail skips them). */
  legacy?: string[];
  allow?: AllowEntry[];
  /** The committed baseline that --check compares against. */
  baseline?: string;
}

export interface Site extends FoundSite {
  tables: string[];
  tablesSource: TablesSource;
  status: Status;
  /** Why an allowed site is allowed. */
  reason?: string;
}

export interface Counts {
  raw: number;
  kysely: number;
  allowed: number;
}

export interface Inventory {
  files: number;
  sites: Site[];
  totals: Counts & { sites: number; wrappers: number; wrapperCalls: number; dynamicRaw: number };
  byFunction: ({ function: string } & Counts)[];
  byTable: ({ table: string } & Counts)[];
}

export async function buildInventory(inputs: readonly SourceInput[], config: Pick<InventoryConfig, 'allow'> = {}): Promise<Inventory> {
  await loadSqlParser();
  const sites = findSites(inputs).map((found): Site => {
    const { tables, source } = tablesFor(found);
    // A Kysely query needs no permission; sql.raw/sql.lit and every pg-level site do.
    const isKysely = found.kind === 'kysely-builder' || found.kind === 'kysely-sql';
    const allowed = isKysely ? undefined : allowEntryFor(found, config.allow ?? []);
    const status: Status = isKysely ? 'kysely' : allowed ? 'allowed' : 'raw';
    return { ...found, tables, tablesSource: source, status, ...(status === 'allowed' ? { reason: allowed!.reason } : {}) };
  });

  const byFunction = new Map<string, Counts>();
  const byTable = new Map<string, Counts>();
  const add = (map: Map<string, Counts>, key: string, status: Status) => {
    const counts = map.get(key) ?? { raw: 0, kysely: 0, allowed: 0 };
    counts[status]++;
    map.set(key, counts);
  };
  for (const site of sites) {
    add(byFunction, site.function, site.status);
    // "(none)": the statement names no table (BEGIN, SELECT 1); "(unknown)": its SQL is not known.
    const tables = site.tables.length ? site.tables : [site.tablesSource === 'parsed' ? '(none)' : '(unknown)'];
    for (const table of tables) add(byTable, table, site.status);
  }
  const count = (status: Status) => sites.filter((site) => site.status === status).length;

  return {
    files: inputs.length,
    sites,
    totals: {
      sites: sites.length,
      raw: count('raw'),
      kysely: count('kysely'),
      allowed: count('allowed'),
      wrappers: sites.filter((site) => site.kind === 'wrapper').length,
      wrapperCalls: sites.filter((site) => site.kind === 'wrapper-call').length,
      dynamicRaw: sites.filter((site) => site.status === 'raw' && site.sql === undefined).length,
    },
    byFunction: [...byFunction]
      .map(([name, counts]) => ({ function: name, ...counts }))
      .sort((a, b) => a.function.localeCompare(b.function)),
    byTable: [...byTable].map(([table, counts]) => ({ table, ...counts })).sort((a, b) => a.table.localeCompare(b.table)),
  };
}

function tablesFor(site: FoundSite): { tables: string[]; source: TablesSource } {
  if (site.kind === 'kysely-builder') return { tables: site.builderTables ?? [], source: site.builderTables?.length ? 'builder' : 'none' };
  if (site.sql !== undefined) return tablesOf(site.sql);
  if (site.sqlSkeleton !== undefined) return tablesOfSkeleton(site.sqlSkeleton, DYNAMIC_PART);
  return { tables: [], source: 'none' };
}

export function allowEntryFor(site: Pick<FoundSite, 'file' | 'function'>, allow: readonly AllowEntry[]): AllowEntry | undefined {
  return allow.find((entry) => matchesPath(site.file, entry.file) && (entry.function === undefined || entry.function === site.function));
}

/** A path matches an entry that names it, or a folder ("dir/" or "dir") that contains it. */
export function matchesPath(file: string, entry: string): boolean {
  const folder = entry.replace(/\/+$/, '');
  return file === folder || file.startsWith(`${folder}/`);
}
