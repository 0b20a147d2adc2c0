// The provenance check: the site shows no code that a test did not run.
// It reads files only (no database, no build), so it is cheap enough to run in every `npm test`.
// Pages are read as syntax trees (site/lib/mdx-tree.ts, the parser Astro renders them with), so
// a component name in a code block or in inline code is text, as it is on the page; code
// files are read with TypeScript's import scanner.
//
// The rules, precisely:
//
// 1. Inline code. A page under site/content may contain code blocks only in sh, bash,
//    console or text. Any other language, or a block with no language, fails: code comes
//    from a tested file through <Snippet>, recorded output through <Evidence>. A Starlight
//    <Code> with a literal lang in another language fails for the same reason.
//
// 2. References. Every <Snippet file="…" region="…"> and <Evidence file="…"> on a page names
//    a file that exists (under snippets/, or root-relative) and, for Snippet, a region that
//    exists in it. The value must be a string literal (`"…"`, `{"…"}` or a template without
//    `${}`), so this check can see it. A component is known by the file it is imported from,
//    so `import Code from '…/Snippet.astro'` makes <Code> a Snippet. Region
//    markers in every file under snippets/ must be paired and unique, so a region cannot
//    silently swallow the rest of a file.
//
// 3. Orphans. Every file under snippets/ (dotfiles aside) must be used. A file is used when:
//    a. a page names it in a `file="…"` attribute (Snippet, Evidence or any other component),
//       resolved like Snippet resolves it; or
//    b. any file under site/ (pages, components, lib, data) contains its root-relative path
//       `snippets/<path>`, as an import (`../../snippets/x.ts?raw`) or as data does (on a
//       page: in its text, code, attribute values, expressions or imports); or
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
import { basename, dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  codeBlocks,
  hasAttribute,
  imports,
  jsxElements,
  lineOf,
  parsePage,
  stringAttribute,
  strings,
  type PageTree,
} from '../../site/lib/mdx-tree.ts';
import { extractRegion, resolveSnippetPath } from '../../site/lib/snippet-regions.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const ALLOWED_FENCE_LANGS = new Set(['sh', 'bash', 'console', 'text']);
const FORBIDDEN_CODE_LANGS = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx', 'mjs', 'sql', 'json', 'jsonc', 'yaml', 'yml']);
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

interface Page {
  path: string;
  tree: PageTree;
}

const page = (path: string, text: string): Page => ({ path, tree: parsePage(text, path) });

/**
 * The component each JSX element on a page is: the file name of the .astro file its name is
 * imported from (`import Shown from '…/Snippet.astro'` → Snippet), or else its own name.
 */
function componentNames(tree: PageTree): (name: string) => string {
  const imported = new Map<string, string>();
  for (const { source, bindings } of imports(tree)) {
    if (!source.endsWith('.astro')) continue;
    for (const [local, name] of bindings) if (name === 'default') imported.set(local, basename(source, '.astro'));
  }
  return (name) => imported.get(name) ?? name;
}

// ---------------------------------------------------------------- rule 1: inline code

function forbiddenInlineCode({ path, tree }: Page): string[] {
  const problems: string[] = [];
  for (const block of codeBlocks(tree)) {
    // The language is the info string's first word, before any `{1,3}` line markers.
    const lang = (block.lang ?? '').split('{')[0]!.toLowerCase();
    if (ALLOWED_FENCE_LANGS.has(lang)) continue;
    problems.push(
      `${path}:${lineOf(block)}: ` +
        (lang
          ? `inline \`\`\`${lang} block: show code with <Snippet file=… region=…> from a tested file (only sh, bash, console, text may be inline)`
          : 'code block without a language: label it sh, bash, console or text, or use <Snippet> for code'),
    );
  }
  // Starlight's <Code>, under whatever name the page imports it.
  const starlightCode = new Set(['Code']);
  for (const { source, bindings } of imports(tree)) {
    if (source !== '@astrojs/starlight/components') continue;
    for (const [local, name] of bindings) if (name === 'Code') starlightCode.add(local);
  }
  for (const element of jsxElements(tree, starlightCode)) {
    const lang = stringAttribute(element, 'lang');
    if (lang && FORBIDDEN_CODE_LANGS.has(lang.toLowerCase()))
      problems.push(`${path}:${lineOf(element)}: <Code lang="${lang}">: use <Snippet> so the code comes from a tested file`);
  }
  return problems;
}

// ---------------------------------------------------------------- rule 2: references

interface Reference {
  page: string;
  line: number;
  component: string;
  /** undefined when the attribute is not a string literal */
  file: string | undefined;
  region?: string;
}

/** Every component on a page that has a `file` attribute. */
function fileReferences({ path, tree }: Page): Reference[] {
  const componentOf = componentNames(tree);
  return jsxElements(tree)
    .filter((element) => element.name !== null && isComponent(element.name) && hasAttribute(element, 'file'))
    .map((element) => ({
      page: path,
      line: lineOf(element),
      component: componentOf(element.name!),
      file: stringAttribute(element, 'file'),
      region: stringAttribute(element, 'region'),
    }));
}

/** JSX names that start with a capital are components; lowercase ones are HTML elements. */
const isComponent = (name: string) => name[0] !== undefined && name[0] !== name[0].toLowerCase();

function brokenReference(reference: Reference): string | undefined {
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

function regionMarkerProblems(path: string, text: string): string[] {
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

/**
 * Relative import specifiers of a code file (import/export … from, side-effect imports,
 * import() with a literal), resolved to root-relative paths. TypeScript's import scanner
 * reads them, so an import in a comment or a string does not count.
 */
function relativeImports(path: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => posix(relative(PROJECT_ROOT, join(PROJECT_ROOT, dirname(path), specifier.split('?')[0]!))));
}

interface SiteSources {
  pages: Page[];
  /** Everything under site/ that is not a page: components, lib, data. */
  siteFiles: { path: string; text: string }[];
  /** Files under site/data/ and snippets/training/. */
  trainingData: { path: string; text: string }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `text` contains `path` as a whole path: not as the tail of a longer name or the head of a longer path. */
const names = (text: string, path: string) => new RegExp(`(^|[^\\w.-])${escape(path)}(?![\\w.-])`).test(text);

function findOrphans(snippetFiles: string[], sources: SiteSources): string[] {
  const used = new Set<string>();
  const isEvidence = (path: string) => path.split('/').includes('evidence');
  const pageStrings = sources.pages.flatMap(({ tree }) => strings(tree));
  const shownOrNamedBySite = (path: string) =>
    pageStrings.some((text) => names(text, path)) || sources.siteFiles.some(({ text }) => names(text, path));

  for (const page of sources.pages) {
    for (const reference of fileReferences(page)) {
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
    const quoted = new RegExp(`["'\`]${escape(path.slice('snippets/'.length))}["'\`]`);
    if (sources.trainingData.some(({ path: source, text }) => source !== path && (names(text, path) || quoted.test(text)))) used.add(path);
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
    .map((path) => page(path, read(path)));
  const siteFiles = walk('site')
    .filter((path) => !path.startsWith('site/content/') && statSync(join(PROJECT_ROOT, path)).size < 2_000_000)
    .map((path) => ({ path, text: read(path) }));
  const trainingData = [...walk('site/data'), ...walk('snippets/training')].map((path) => ({ path, text: read(path) }));
  return { pages, siteFiles, trainingData };
}

describe('provenance: the site shows only code and output that tests produced', () => {
  const sources = loadSources();

  it('no page contains an inline code block other than a shell session or plain text', () => {
    expect(sources.pages.flatMap(forbiddenInlineCode)).toEqual([]);
  });

  it('every Snippet and Evidence on every page names an existing file and region', () => {
    const references = sources.pages.flatMap(fileReferences);
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
    const text = [
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
    const problems = forbiddenInlineCode(page('site/content/docs/x.mdx', text));
    expect(problems.map((problem) => Number(problem.split(':')[1]))).toEqual([4, 7, 10, 13]);
  });

  it('flags a Starlight Code component with a literal TypeScript language', () => {
    expect(forbiddenInlineCode(page('p.mdx', `<Code code="const x = 1" lang="ts" />`))).toHaveLength(1);
    expect(forbiddenInlineCode(page('p.mdx', `<Code code={raw} lang="sh" />`))).toHaveLength(0);
  });

  it('flags Code under another name and with the language in braces, and ignores a Code that is only mentioned', () => {
    const text = [
      "import { Code as Listing } from '@astrojs/starlight/components';",
      '',
      '<Listing',
      '  code={raw}',
      '  lang={"sql"}',
      '/>',
      '',
      'Use `<Code lang="ts">` only for shell sessions.',
    ].join('\n');
    expect(forbiddenInlineCode(page('p.mdx', text))).toEqual([
      'p.mdx:3: <Code lang="sql">: use <Snippet> so the code comes from a tested file',
    ]);
  });

  it('reports a missing file, a missing region and a non-literal file, naming the page and line', () => {
    const text = [
      '<Snippet file="relations/load-orders-with-items.ts" region="json-array-from" />',
      '<Snippet file="relations/load-orders-with-items.ts" region="no-such-region" />',
      '<Evidence file="relations/evidence/missing.sql" title="a -> b" />',
      '<Snippet file={someVariable} />',
    ].join('\n');
    const problems = fileReferences(page('site/content/docs/guide/p.mdx', text)).map(brokenReference);
    expect(problems[0]).toBeUndefined();
    expect(problems[1]).toMatch(/p\.mdx:2 <Snippet>: region "no-such-region" not found in snippets\/relations\/load-orders-with-items\.ts/);
    expect(problems[2]).toMatch(/p\.mdx:3 <Evidence>: file "relations\/evidence\/missing\.sql" does not exist/);
    expect(problems[3]).toMatch(/p\.mdx:4 <Snippet>: file= must be a string literal/);
  });

  it('knows a Snippet by the file it is imported from, and skips one inside a code block', () => {
    const text = [
      "import Shown from '../../../components/Snippet.astro';",
      '',
      '<Shown',
      '  file="relations/load-orders-with-items.ts"',
      '  region="no-such-region"',
      '/>',
      '',
      '```text',
      '<Snippet file="no/such/file.ts" />',
      '```',
    ].join('\n');
    expect(fileReferences(page('site/content/docs/guide/p.mdx', text)).map(brokenReference)).toEqual([
      'site/content/docs/guide/p.mdx:3 <Snippet>: region "no-such-region" not found in snippets/relations/load-orders-with-items.ts',
    ]);
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
        page(
          'site/content/docs/p.mdx',
          '<Snippet file="app/seed.ts" region="x" />\n<Evidence file="relations/evidence/join.sql" />\n\n```text\n<Snippet file="relations/evidence/where-in.sql" />\n```',
        ),
      ],
      siteFiles: [],
      trainingData: [{ path: 'site/data/training.json', text: '{ "starter": "setup/log-queries.ts" }' }],
    });
    // seed.ts imports random.ts and database.ts, which re-exports schema.generated.ts;
    // load-orders-with-items.ts is not shown, and where-in.sql is evidence no page shows
    // (the code block only mentions a Snippet of it).
    expect(orphans).toEqual(['snippets/relations/load-orders-with-items.ts', 'snippets/relations/evidence/where-in.sql']);
  });
});
