// The provenance check: the site shows no code that a test did not run.
// It reads files only (no database, no build), so it is cheap enough to run in every `npm test`.
//
// The rules, precisely:
//
// 1. Inline code. A page under site/content may contain fenced blocks only in sh, bash,
//    console or text. Any other language, or a fence with no language, fails: code comes
//    from a tested file through <Snippet>, recorded output through <Evidence>. A Starlight
//    <Code> with a literal lang in another language fails for the same reason.
//
// 2. References. Every <Snippet file="…" region="…"> and <Evidence file="…"> on a page names
//    a file that exists (under snippets/, or root-relative) and, for Snippet, a region that
//    exists in it. The value must be a string literal, so this check can see it. Region
//    markers in every file under snippets/ must be paired and unique, so a region cannot
//    silently swallow the rest of a file.
//
// 3. Orphans. Every file under snippets/ (dotfiles aside) must be used. A file is used when:
//    a. a page names it in a `file="…"` attribute (Snippet, Evidence or any other component),
//       resolved like Snippet resolves it; or
//    b. any file under site/ (pages, components, lib, data) contains its root-relative path
//       `snippets/<path>`, as an import (`../../snippets/x.ts?raw`) or as data does; or
//    c. training data names it: a file under site/data/ or snippets/training/ contains its
//       root-relative path, its snippets-relative path as a quoted string ("app/seed.ts"), or
//       imports it (the exercise runner's list in snippets/training/ imports each exercise's
//       checks, which name its starter and solution); or
//    d. it is imported (import/export … from, side-effect import, or import() with a literal,
//       relative specifier) by a used code file under snippets/, transitively. That is how
//       app/random.ts (imported by seed.ts) and app/schema.generated.ts (re-exported by
//       database.ts) are used without being shown themselves.
//    Files inside an `evidence/` folder are recorded output, not code: they count as used only
//    under (a) or (b), that is when the site shows them. An evidence file no page shows is
//    a snapshot nobody reads; delete it or show it.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRegion, resolveSnippetPath } from '../../site/lib/snippet-regions.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const ALLOWED_FENCE_LANGS = new Set(['sh', 'bash', 'console', 'text']);
const FORBIDDEN_CODE_LANGS = /^(ts|typescript|js|javascript|tsx|jsx|mjs|sql|json|jsonc|yaml|yml)$/i;
const CODE_EXTENSIONS = /\.(ts|mts|tsx|js|mjs)$/;

const posix = (path: string) => path.split(sep).join('/');

function walk(dir: string): string[] {
  if (!existsSync(join(PROJECT_ROOT, dir))) return [];
  const out: string[] = [];
  for (const entry of readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = posix(join(dir, entry.name));
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out.sort();
}

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');

// ---------------------------------------------------------------- rule 1: inline code

export interface Problem {
  page: string;
  line: number;
  message: string;
}

export function forbiddenInlineCode(page: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  let open: { marker: string; length: number } | undefined;
  lines.forEach((line, index) => {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (!fence) return;
    const [, marker, info] = fence as unknown as [string, string, string];
    if (open) {
      // A closing fence uses the same character, at least as long, and has no info string.
      if (marker[0] === open.marker[0] && marker.length >= open.length && !info.trim()) open = undefined;
      return;
    }
    open = { marker, length: marker.length };
    const lang = info.trim().split(/[\s{]/)[0]!.toLowerCase();
    if (!ALLOWED_FENCE_LANGS.has(lang)) {
      problems.push({
        page,
        line: index + 1,
        message: lang
          ? `inline \`\`\`${lang} block: show code with <Snippet file=… region=…> from a tested file (only sh, bash, console, text may be inline)`
          : 'fenced block without a language: label it sh, bash, console or text, or use <Snippet> for code',
      });
    }
  });
  for (const match of text.matchAll(/<Code\b([^>]*)>/g)) {
    const lang = /\blang=["']([^"']+)["']/.exec(match[1]!)?.[1];
    if (lang && FORBIDDEN_CODE_LANGS.test(lang)) {
      problems.push({
        page,
        line: lineOf(text, match.index),
        message: `<Code lang="${lang}">: use <Snippet> so the code comes from a tested file`,
      });
    }
  }
  return problems;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

// ---------------------------------------------------------------- rule 2: references

export interface Reference {
  page: string;
  line: number;
  component: string;
  /** undefined when the attribute is not a string literal */
  file: string | undefined;
  region?: string;
  raw: string;
}

const TAG = /<([A-Z][A-Za-z0-9]*)\s((?:[^>"'{}]|"[^"]*"|'[^']*'|\{[^}]*\})*?)\/?>/g;
const ATTRIBUTE = /([A-Za-z_:-]+)=(?:"([^"]*)"|'([^']*)'|\{\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)\s*\}|(\{[^}]*\}))/g;

/** Every component tag on a page that has a `file` attribute. */
export function fileReferences(page: string, text: string): Reference[] {
  const references: Reference[] = [];
  for (const tag of text.matchAll(TAG)) {
    const attributes = new Map<string, string | undefined>();
    for (const attribute of tag[2]!.matchAll(ATTRIBUTE)) {
      const literal = attribute[2] ?? attribute[3] ?? attribute[4] ?? attribute[5] ?? attribute[6];
      attributes.set(attribute[1]!, literal);
    }
    if (!attributes.has('file')) continue;
    references.push({
      page,
      line: lineOf(text, tag.index),
      component: tag[1]!,
      file: attributes.get('file'),
      region: attributes.get('region'),
      raw: tag[0],
    });
  }
  return references;
}

export function brokenReference(reference: Reference): string | undefined {
  const where = `${reference.page}:${reference.line} <${reference.component}>`;
  if (!['Snippet', 'Evidence'].includes(reference.component)) {
    // Other components may take a file too; only check that what they name exists.
    if (reference.file === undefined) return undefined;
    try {
      resolveSnippetPath(reference.file);
      return undefined;
    } catch {
      return `${where}: file "${reference.file}" does not exist`;
    }
  }
  if (reference.file === undefined) return `${where}: file= must be a string literal so the provenance check can verify it`;
  let path: string;
  try {
    path = resolveSnippetPath(reference.file);
  } catch {
    return `${where}: file "${reference.file}" does not exist (looked under snippets/ and the project root)`;
  }
  if (reference.component === 'Snippet' && reference.region !== undefined) {
    if (extractRegion(read(path), reference.region) === undefined) return `${where}: region "${reference.region}" not found in ${path}`;
  }
  return undefined;
}

export function regionMarkerProblems(path: string, text: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const start = /^\s*(?:\/\/|--|#)\s*#region\s+(\S+)\s*$/.exec(line);
    const end = /^\s*(?:\/\/|--|#)\s*#endregion(?:\s+(\S+))?\s*$/.exec(line);
    if (start) {
      if (seen.has(start[1]!)) problems.push(`${path}:${index + 1}: region "${start[1]}" is defined twice`);
      seen.add(start[1]!);
      open.push(start[1]!);
    } else if (end) {
      const name = end[1] ?? open.at(-1);
      const at = name === undefined ? -1 : open.lastIndexOf(name);
      if (at === -1) problems.push(`${path}:${index + 1}: #endregion ${end[1] ?? ''} has no matching #region`);
      else open.splice(at, 1);
    }
  });
  for (const name of open) problems.push(`${path}: region "${name}" is never closed`);
  return problems;
}

// ---------------------------------------------------------------- rule 3: orphans

/** Relative import specifiers of a code file, resolved to root-relative paths. */
export function relativeImports(path: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => posix(relative(PROJECT_ROOT, join(PROJECT_ROOT, dirname(path), specifier.replace(/\?.*$/, '')))));
}

export interface SiteSources {
  pages: { path: string; text: string }[];
  /** Everything under site/ that is not a page: components, lib, data. */
  siteFiles: { path: string; text: string }[];
  /** Files under site/data/ and snippets/training/. */
  trainingData: { path: string; text: string }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function findOrphans(snippetFiles: string[], sources: SiteSources): string[] {
  const used = new Set<string>();
  const isEvidence = (path: string) => path.split('/').includes('evidence');
  const shownOrNamedBySite = (path: string) => {
    const rootPattern = new RegExp(`(^|[^\\w.-])${escape(path)}(?![\\w.-])`);
    return [...sources.pages, ...sources.siteFiles].some(({ text }) => rootPattern.test(text));
  };

  for (const page of sources.pages) {
    for (const reference of fileReferences(page.path, page.text)) {
      if (reference.file === undefined) continue;
      try {
        used.add(resolveSnippetPath(reference.file));
      } catch {
        // Reported by the references check.
      }
    }
  }
  for (const path of snippetFiles) {
    if (used.has(path)) continue;
    if (shownOrNamedBySite(path)) {
      used.add(path);
      continue;
    }
    if (isEvidence(path)) continue;
    const quoted = new RegExp(`(^|[^\\w.-])${escape(path)}(?![\\w.-])|["'\`]${escape(path.slice('snippets/'.length))}["'\`]`);
    if (sources.trainingData.some(({ path: source, text }) => source !== path && quoted.test(text))) used.add(path);
  }
  for (const { path: source, text } of sources.trainingData) {
    if (!CODE_EXTENSIONS.test(source)) continue;
    for (const target of relativeImports(source, text)) if (target !== source && !isEvidence(target)) used.add(target);
  }

  // Follow imports out of every used code file, until nothing new is reached.
  const queue = [...used];
  while (queue.length) {
    const path = queue.pop()!;
    if (!CODE_EXTENSIONS.test(path) || !existsSync(join(PROJECT_ROOT, path))) continue;
    for (const target of relativeImports(path, read(path))) {
      if (target.startsWith('snippets/') && !used.has(target)) {
        used.add(target);
        queue.push(target);
      }
    }
  }
  return snippetFiles.filter((path) => !used.has(path));
}

// ---------------------------------------------------------------- the checks

function loadSources(): SiteSources {
  const pages = walk('site/content')
    .filter((path) => /\.mdx?$/.test(path))
    .map((path) => ({ path, text: read(path) }));
  const siteFiles = walk('site')
    .filter((path) => !path.startsWith('site/content/') && statSync(join(PROJECT_ROOT, path)).size < 2_000_000)
    .map((path) => ({ path, text: read(path) }));
  const trainingData = [...walk('site/data'), ...walk('snippets/training')].map((path) => ({ path, text: read(path) }));
  return { pages, siteFiles, trainingData };
}

describe('provenance: the site shows only code and output that tests produced', () => {
  const sources = loadSources();

  it('no page contains an inline code block other than a shell session or plain text', () => {
    const problems = sources.pages.flatMap(({ path, text }) => forbiddenInlineCode(path, text));
    expect(problems.map((problem) => `${problem.page}:${problem.line}: ${problem.message}`)).toEqual([]);
  });

  it('every Snippet and Evidence on every page names an existing file and region', () => {
    const references = sources.pages.flatMap(({ path, text }) => fileReferences(path, text));
    const broken = references.map(brokenReference).filter((problem): problem is string => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('region markers in every snippet file are paired and unique', () => {
    const problems = walk('snippets')
      .filter((path) => CODE_EXTENSIONS.test(path) || /\.(sql|sh|ya?ml)$/.test(path))
      .flatMap((path) => regionMarkerProblems(path, read(path)));
    expect(problems).toEqual([]);
  });

  it('every file under snippets/ is shown on a page, named by the site or training data, or imported by a file that is', () => {
    const orphans = findOrphans(walk('snippets'), sources);
    expect(
      orphans,
      'these files are orphans: show them on a page (<Snippet>/<Evidence>), name them in training data, import them from a used snippet, or delete them',
    ).toEqual([]);
  });
});

describe('the provenance checker itself', () => {
  it('flags a TypeScript, SQL, YAML or unlabelled fence and lets shell and text through', () => {
    const page = [
      '```sh',
      'npm test',
      '```',
      '````ts',
      'const x = 1;',
      '````',
      '~~~sql',
      'select 1',
      '~~~',
      '```yaml title="x"',
      'a: 1',
      '```',
      '```',
      'plain',
      '```',
      '```text',
      '```ts inside text is fine',
      '```',
    ].join('\n');
    const problems = forbiddenInlineCode('site/content/docs/x.mdx', page);
    expect(problems.map((problem) => problem.line)).toEqual([4, 7, 10, 13]);
  });

  it('flags a Starlight Code component with a literal TypeScript language', () => {
    expect(forbiddenInlineCode('p.mdx', `<Code code="const x = 1" lang="ts" />`)).toHaveLength(1);
    expect(forbiddenInlineCode('p.mdx', `<Code code={raw} lang="sh" />`)).toHaveLength(0);
  });

  it('reports a missing file, a missing region and a non-literal file, naming the page and line', () => {
    const page = [
      '<Snippet file="relations/load-orders-with-items.ts" region="json-array-from" />',
      '<Snippet file="relations/load-orders-with-items.ts" region="no-such-region" />',
      '<Evidence file="relations/evidence/missing.sql" title="a -> b" />',
      '<Snippet file={someVariable} />',
    ].join('\n');
    const problems = fileReferences('site/content/docs/guide/p.mdx', page).map(brokenReference);
    expect(problems[0]).toBeUndefined();
    expect(problems[1]).toMatch(/p\.mdx:2 <Snippet>: region "no-such-region" not found in snippets\/relations\/load-orders-with-items\.ts/);
    expect(problems[2]).toMatch(/p\.mdx:3 <Evidence>: file "relations\/evidence\/missing\.sql" does not exist/);
    expect(problems[3]).toMatch(/p\.mdx:4 <Snippet>: file= must be a string literal/);
  });

  it('reports unclosed, duplicated and unmatched region markers', () => {
    const text = ['// #region a', '// #endregion a', '// #region a', '// #region b', '// #endregion c'].join('\n');
    expect(regionMarkerProblems('f.ts', text)).toEqual([
      'f.ts:3: region "a" is defined twice',
      'f.ts:5: #endregion c has no matching #region',
      'f.ts: region "a" is never closed',
      'f.ts: region "b" is never closed',
    ]);
  });

  it('counts a shown file, what it imports, and a file named by training data as used, and nothing else', () => {
    const files = [
      'snippets/app/seed.ts',
      'snippets/app/random.ts',
      'snippets/app/database.ts',
      'snippets/app/schema.generated.ts',
      'snippets/relations/load-orders-with-items.ts',
      'snippets/relations/evidence/join.sql',
      'snippets/relations/evidence/where-in.sql',
      'snippets/setup/log-queries.ts',
    ];
    const orphans = findOrphans(files, {
      pages: [
        {
          path: 'site/content/docs/p.mdx',
          text: '<Snippet file="app/seed.ts" region="x" />\n<Evidence file="relations/evidence/join.sql" />',
        },
      ],
      siteFiles: [],
      trainingData: [{ path: 'site/data/training.json', text: '{ "starter": "setup/log-queries.ts" }' }],
    });
    // seed.ts imports random.ts and database.ts, which re-exports schema.generated.ts;
    // load-orders-with-items.ts is not shown, and where-in.sql is evidence no page shows.
    expect(orphans).toEqual(['snippets/relations/load-orders-with-items.ts', 'snippets/relations/evidence/where-in.sql']);
  });
});
