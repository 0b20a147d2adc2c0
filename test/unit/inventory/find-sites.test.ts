// The inventory on fixtures that cover every form it must find (and some it must not).
// Each expected site is written in the fixture itself, on its line:
//   // expect: kind=query-call fn=getOrder tables=orders sql=literal status=raw
// (`expect-prev:` when the comment sits on the line after the site; `;` separates two sites on
// one line). The test compares the inventory's sites, line by line, with those comments, so a
// site found on an unmarked line fails as much as a marked one that is missed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInventory, type Site } from '../../../scripts/inventory/inventory.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const inputs = readdirSync(join(FIXTURES, 'app'))
  .sort()
  .map((name) => ({ path: `app/${name}`, text: readFileSync(join(FIXTURES, 'app', name), 'utf8') }));
const allow = [{ file: 'app/callers.ts', function: 'migrationNote', reason: 'fixture: allowed on purpose' }];

interface Expectation {
  file: string;
  line: number;
  fields: Record<string, string>;
}

function expectations(): Expectation[] {
  const found: Expectation[] = [];
  for (const { path, text } of inputs) {
    text.split('\n').forEach((line, index) => {
      const marker = /\/\/ expect(-prev)?: (.*)$/.exec(line);
      if (!marker) return;
      for (const part of marker[2]!.split(';')) {
        const fields = Object.fromEntries(
          part
            .trim()
            .split(/\s+/)
            .map((pair) => pair.split('=') as [string, string]),
        );
        found.push({ file: path, line: index + 1 - (marker[1] ? 1 : 0), fields });
      }
    });
  }
  return found;
}

function fieldOf(site: Site, key: string): string {
  switch (key) {
    case 'kind':
      return site.kind;
    case 'fn':
      return site.function;
    case 'via':
      return site.via ?? '';
    case 'status':
      return site.status;
    case 'tables':
      return site.tables.length ? site.tables.join(',') : '-';
    case 'sql':
      return site.sql === undefined ? 'dynamic' : 'literal';
    default:
      throw new Error(`unknown expectation key ${key}`);
  }
}

describe('the inventory on its fixtures', async () => {
  const inventory = await buildInventory(inputs, { allow });
  const wanted = expectations();

  it('finds a site on every marked line and on no other line', () => {
    const where = (items: { file: string; line: number }[]) => items.map((item) => `${item.file}:${item.line}`).sort();
    expect(where(inventory.sites)).toEqual(where(wanted));
  });

  it.each(
    wanted.map(
      (item) =>
        [
          `${item.file}:${item.line} ${Object.entries(item.fields)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
          item,
        ] as const,
    ),
  )('reports %s', (_, item) => {
    const candidates = inventory.sites.filter((site) => site.file === item.file && site.line === item.line);
    const match = candidates.find((site) => Object.entries(item.fields).every(([key, value]) => fieldOf(site, key) === value));
    expect(
      match,
      `sites on that line: ${JSON.stringify(candidates.map((site) => Object.fromEntries(Object.keys(item.fields).map((key) => [key, fieldOf(site, key)]))))}`,
    ).toBeDefined();
  });

  it('counts every form the issue lists', () => {
    const kinds = new Set(inventory.sites.map((site) => site.kind));
    expect([...kinds].sort()).toEqual([
      'kysely-builder',
      'kysely-raw',
      'kysely-sql',
      'query-call',
      'template-tag',
      'wrapper',
      'wrapper-call',
    ]);
    expect(inventory.totals).toMatchObject({ wrappers: 6, allowed: 1 });
  });

  it('finds nothing in code that only looks like SQL access', () => {
    expect(inventory.sites.filter((site) => site.file === 'app/not-sites.ts')).toEqual([]);
  });

  it('names the SQL of a dynamic site as unknown but still finds its tables from the literal parts', () => {
    const search = inventory.sites.find((site) => site.function === 'searchOrders')!;
    expect(search.sql).toBeUndefined();
    expect(search.tablesSource).toBe('scanned');
  });
});
