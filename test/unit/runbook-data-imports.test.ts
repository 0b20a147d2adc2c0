// The site renders runbooks from their data (runbooks/steps/, runbooks/kit/contract.ts) and must
// not pull the code that runs them into its build: Kysely's Migrator, pg, child processes, the
// session. This walks the import graph the way the bundler sees it, from every module of
// runbooks/ that a site file imports and from every data module, and fails on the first path
// that reaches runtime code. It reads files only: no build, no database.
import { globSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { moduleCode, specifiersOf } from '../support/import-graph.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const ROOT = PROJECT_ROOT;

/** Packages and project modules that only the CLI may load. */
const RUNTIME_PACKAGES = ['kysely', 'pg', 'pg-pool', 'zx', 'child_process'];
const RUNTIME_MODULES = [
  /^runbooks\/logic\//,
  /^runbooks\/kit\/(session|run|audit)\.ts$/,
  /^snippets\/app\/(migrate|legacy-repository|kysely-repository|data-layer-switch)\.ts$/,
];

/** `kysely/migration` → kysely, `node:child_process` → child_process, `@scope/pkg/x` → @scope/pkg. */
function packageOf(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The specifiers a module loads when it runs (what the bundler does not erase). */
const runtimeSpecifiers = (code: string, fileName: string): string[] =>
  specifiersOf(code, fileName)
    .filter((found) => !found.typeOnly)
    .map((found) => found.specifier);

/** Modules under runbooks/ that the site imports, directly or through import.meta.glob. */
function siteRoots(): string[] {
  const roots = new Set<string>();
  for (const file of globSync('site/**/*.{astro,mdx,ts,mjs}', { cwd: ROOT })) {
    const code = moduleCode(file, readFileSync(join(ROOT, file), 'utf8'));
    const specifiers = [
      ...runtimeSpecifiers(code, file),
      ...[...code.matchAll(/import\.meta\.glob\(\s*['"]([^'"]+)['"]/g)].flatMap((match) =>
        globSync(match[1]!, { cwd: join(ROOT, dirname(file)) }),
      ),
    ];
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      if (target.startsWith('runbooks/')) roots.add(target);
    }
  }
  return [...roots].sort();
}

interface Reach {
  /** Project modules (relative to the root) and package specifiers reached, each with the first chain that reached it. */
  modules: Map<string, string[]>;
  packages: Map<string, string[]>;
}

function walk(roots: string[]): Reach {
  const modules = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const queue = roots.map((root) => [root]);
  for (const root of roots) modules.set(root, [root]);
  while (queue.length) {
    const chain = queue.shift()!;
    const module = chain.at(-1)!;
    if (!/\.[cm]?[jt]sx?$/.test(module)) continue; // JSON and the like import nothing
    for (const specifier of runtimeSpecifiers(readFileSync(join(ROOT, module), 'utf8'), module)) {
      if (!specifier.startsWith('.')) {
        if (!packages.has(specifier)) packages.set(specifier, [...chain, specifier]);
        continue;
      }
      const target = relative(ROOT, resolve(ROOT, dirname(module), specifier));
      if (modules.has(target)) continue;
      modules.set(target, [...chain, target]);
      queue.push([...chain, target]);
    }
  }
  return { modules, packages };
}

/** Each runtime module or package reached, as "name: a → b → c". */
function violations({ modules, packages }: Reach): string[] {
  return [
    ...[...packages]
      .filter(([specifier]) => RUNTIME_PACKAGES.includes(packageOf(specifier)))
      .map(([specifier, chain]) => `${specifier}: ${chain.join(' → ')}`),
    ...[...modules]
      .filter(([module]) => RUNTIME_MODULES.some((pattern) => pattern.test(module)))
      .map(([module, chain]) => `${module}: ${chain.join(' → ')}`),
  ];
}

describe('what the site imports from runbooks/', () => {
  const roots = siteRoots();
  const dataModules = globSync('runbooks/steps/*.ts', { cwd: ROOT }).sort();

  test('the site imports runbooks through their data (the walk starts where the pages do)', () => {
    expect(roots).toContain('runbooks/steps/index.ts');
    expect(roots).toContain('runbooks/kit/contract.ts');
    expect(roots).toContain('runbooks/steps/database-down.ts');
    expect(roots.filter((root) => root.startsWith('runbooks/logic/'))).toEqual([]);
  });

  test('no runtime code is reachable from the site or from any step data module', () => {
    const reach = walk([...new Set([...roots, ...dataModules, 'runbooks/kit/contract.ts'])]);
    // The walk did cover the data: every runbook's steps and the kit's shared steps.
    expect([...reach.modules.keys()]).toEqual(expect.arrayContaining([...dataModules, 'runbooks/kit/preflight.ts']));
    expect(violations(reach)).toEqual([]);
  });

  test('the walk finds runtime code where it is: the CLI entry points reach the Migrator, pg and the session', () => {
    const reach = walk(['runbooks/rollback.ts', 'runbooks/database-down.ts']);
    const found = violations(reach).map((line) => line.split(':')[0]);
    expect(found).toEqual(
      expect.arrayContaining(['kysely', 'kysely/migration', 'pg', 'runbooks/logic/rollback.ts', 'runbooks/kit/session.ts']),
    );
    expect(reach.packages.get('kysely/migration')).toEqual([
      'runbooks/rollback.ts',
      'runbooks/logic/rollback.ts',
      'snippets/app/migrate.ts',
      'kysely/migration',
    ]);
  });

  test('the scanner skips what the bundler erases and keeps what it loads', () => {
    const code = [
      `import type { A } from './erased-a.ts';`,
      `export type { B } from './erased-b.ts';`,
      `type C = import('./erased-c.ts').C;`,
      `import { type D } from './kept-d.ts';`,
      `import { e } from './kept-e.ts';`,
      `export { f } from './kept-f.ts';`,
      `const g = await import('./kept-g.ts');`,
    ].join('\n');
    expect(runtimeSpecifiers(code, 'example.ts')).toEqual(['./kept-d.ts', './kept-e.ts', './kept-f.ts', './kept-g.ts']);
  });
});
