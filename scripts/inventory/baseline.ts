// The baseline: the raw call sites a codebase had when the team started counting. `--check`
// fails when a raw site appears that the baseline does not hold, so the count only goes down.
//
// A site is keyed by file, enclosing function and callee, not by line: editing the code around
// a query must not look like a new query. Two identical calls in one function share a key, so
// the baseline stores how many each key had; a third one is new.
import type { Site } from './inventory.ts';

export interface Baseline {
  comment?: string;
  sites: Record<string, number>;
}

export function siteKey(site: Pick<Site, 'file' | 'function' | 'callee'>): string {
  return `${site.file} | ${site.function} | ${site.callee}`;
}

export function baselineOf(sites: readonly Site[]): Baseline {
  const counts: Record<string, number> = {};
  for (const site of sites) if (site.status === 'raw') counts[siteKey(site)] = (counts[siteKey(site)] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  return {
    comment:
      'Raw SQL call sites (file | function | callee: count). `npm run inventory -- --check` fails on any raw site beyond these; after converting some, shrink it with `npm run inventory -- --update-baseline`.',
    sites: sorted,
  };
}

export interface BaselineComparison {
  /** Raw sites whose key has more sites than the baseline allows (all sites of that key are listed). */
  added: { key: string; baseline: number; now: number; sites: Site[] }[];
  /** Keys with fewer raw sites than the baseline: converted, the baseline can shrink. */
  removed: { key: string; baseline: number; now: number }[];
}

export function compareWithBaseline(sites: readonly Site[], baseline: Baseline): BaselineComparison {
  const now = baselineOf(sites).sites;
  const added: BaselineComparison['added'] = [];
  const removed: BaselineComparison['removed'] = [];
  for (const [key, count] of Object.entries(now)) {
    const allowed = baseline.sites[key] ?? 0;
    if (count > allowed)
      added.push({ key, baseline: allowed, now: count, sites: sites.filter((site) => site.status === 'raw' && siteKey(site) === key) });
  }
  for (const [key, count] of Object.entries(baseline.sites)) {
    const current = now[key] ?? 0;
    if (current < count) removed.push({ key, baseline: count, now: current });
  }
  return { added, removed };
}

/** Throws a one-line message when the text is not a baseline file. */
export function parseBaseline(text: string, path: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const sites = (value as { sites?: unknown } | null)?.sites;
  if (
    !sites ||
    typeof sites !== 'object' ||
    Array.isArray(sites) ||
    !Object.values(sites).every((count) => Number.isInteger(count) && (count as number) > 0)
  ) {
    throw new Error(`${path} is not an inventory baseline: expected { "sites": { "<file> | <function> | <callee>": <count> } }`);
  }
  return { sites: sites as Record<string, number> };
}
