// The README's "Where things live" table says which folder may import which. This reads
// that table and every import in the project, so the picture a newcomer reads is the one
// the code follows, and a new import that points the wrong way fails the suite.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { importsOf, sourceFiles, topFolder, type ImportEdge } from '../support/import-graph.ts';

const README = readFileSync(`${PROJECT_ROOT}/README.md`, 'utf8');

/** folder → the folders it may import, from the table's "may import" column. */
function allowedImports(readme: string): Map<string, Set<string>> {
  const rows = readme
    .split('\n')
    .map((line) => /^\|\s*`([a-z]+)\/`\s*\|[^|]*\|([^|]*)\|\s*$/.exec(line))
    .filter((match) => match !== null);
  const folders = rows.map(([, folder]) => folder!);
  const allowed = new Map<string, Set<string>>();
  rows.forEach(([, folder, cell], index) => {
    const says = cell!.trim();
    const named = [...says.matchAll(/`([a-z]+)`/g)].map(([, name]) => name!);
    if (says === 'anything') allowed.set(folder!, new Set([...folders, '.']));
    else if (says === 'anything above') allowed.set(folder!, new Set(folders.slice(0, index)));
    else if (says === 'nothing of the project') allowed.set(folder!, new Set());
    else allowed.set(folder!, new Set(named));
  });
  return allowed;
}

// The exceptions the README names under the table, each as narrow as it can be.
const EXCEPTIONS: { from: string; to: string; typeOnly: boolean }[] = [
  { from: 'site/lib/bench-results.ts', to: 'scripts/bench/', typeOnly: true },
  { from: 'site/lib/migration-progress.ts', to: 'scripts/inventory/', typeOnly: true },
  { from: 'snippets/testing/', to: 'test/harness/', typeOnly: false },
  { from: 'monitoring/baselines.ts', to: 'site/data/bench-results.json', typeOnly: false },
];

const excepted = (edge: ImportEdge) =>
  EXCEPTIONS.some(
    (exception) => edge.from.startsWith(exception.from) && edge.to!.startsWith(exception.to) && (edge.typeOnly || !exception.typeOnly),
  );

describe('dependencies point one way', () => {
  const allowed = allowedImports(README);
  const edges = sourceFiles(PROJECT_ROOT).flatMap((file) => importsOf(PROJECT_ROOT, file));
  const crossing = edges.filter((edge) => edge.to !== undefined && topFolder(edge.to) !== topFolder(edge.from));

  test('the README table names every top-level source folder', () => {
    expect([...allowed.keys()]).toEqual(['lib', 'snippets', 'monitoring', 'runbooks', 'site', 'scripts', 'test']);
    const folders = new Set(edges.map((edge) => topFolder(edge.from)).filter((folder) => folder !== '.'));
    expect([...folders].filter((folder) => !allowed.has(folder))).toEqual([]);
  });

  test('the scan sees imports, type-only ones and their targets', () => {
    // Known edges: if the scanner stopped seeing these, the test below would pass on nothing.
    const seen = (from: string, to: string) => crossing.find((edge) => edge.from === from && edge.to === to);
    expect(seen('test/harness/global-setup.ts', 'lib/db/resolve-database.ts')?.typeOnly).toBe(false);
    expect(seen('site/lib/bench-results.ts', 'scripts/bench/results.ts')?.typeOnly).toBe(true);
    expect(crossing.length).toBeGreaterThan(200);
  });

  test('no module imports from a folder below it in the table, except where the README says so', () => {
    const wrong = crossing
      .filter((edge) => topFolder(edge.from) !== '.' && !allowed.get(topFolder(edge.from))!.has(topFolder(edge.to!)) && !excepted(edge))
      .map((edge) => `${edge.from} imports ${edge.to}${edge.typeOnly ? ' (types)' : ''}`);
    expect(wrong).toEqual([]);
  });

  test('every exception is still used and still described in the README', () => {
    for (const exception of EXCEPTIONS) {
      expect(
        crossing.some((edge) => edge.from.startsWith(exception.from) && edge.to!.startsWith(exception.to)),
        `${exception.from} → ${exception.to}`,
      ).toBe(true);
      expect(README, exception.from).toContain(exception.from.replace(/\/$/, ''));
    }
  });
});
