// Which pages carry the verification badge (overrides/PageTitle.astro): the pages that show
// code or output from tested files. The browser test checks the built pages against this.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { parse as parseAstro } from '@astrojs/compiler-rs';
import { imports, jsxElements, parsePage } from './mdx-tree.ts';

// The project root is where npm scripts, vitest and `astro build` run (inside the build this
// module is bundled into another folder, so not import.meta.dirname).
const ROOT = process.cwd();
/** The components that render a tested file's code (Snippet) or what its test recorded (Evidence). */
const SNIPPET_COMPONENTS = new Set(['Snippet', 'Evidence']);
const SNIPPET_COMPONENT_FILES = new Set([...SNIPPET_COMPONENTS].map((name) => join(ROOT, 'site/components', `${name}.astro`)));
/** A component that imports one of these renders tested code too. */
const TESTED_CODE_MODULES = new Set([...SNIPPET_COMPONENT_FILES, join(ROOT, 'site/lib/snippet-regions.ts')]);
const RUNBOOK_STEPS = join(ROOT, 'runbooks/steps') + sep;

/** What an Astro component's frontmatter imports at run time (not `import type`), as absolute paths. */
function componentImports(file: string): string[] {
  const { ast } = parseAstro(readFileSync(file, 'utf8'));
  interface Statement {
    type: string;
    importKind?: string;
    source?: { value?: unknown };
  }
  const { frontmatter } = ast as { frontmatter?: { program?: { body?: Statement[] } } | null };
  return (frontmatter?.program?.body ?? [])
    .filter((statement) => statement.type === 'ImportDeclaration' && statement.importKind !== 'type')
    .map((statement) => String(statement.source?.value))
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier.split('?')[0]!));
}

/**
 * Whether a component renders tested code: it uses <Snippet>/<Evidence> or the snippet reader
 * (Quiz renders snippet regions), or it renders a runbook's step definitions, whose SQL is what
 * the runbook runs in the drills (RunbookSteps, RunbookContract).
 */
function rendersTestedCode(file: string): boolean {
  if (SNIPPET_COMPONENT_FILES.has(file)) return true;
  if (!file.endsWith('.astro') || !existsSync(file)) return false;
  return componentImports(file).some((target) => TESTED_CODE_MODULES.has(target) || target.startsWith(RUNBOOK_STEPS));
}

/**
 * Whether a page shows snippets: it renders <Snippet> or <Evidence>, or a component it imports
 * from a relative path that renders tested code (one level deep). A component name in prose,
 * in inline code or in a code block is not a use; neither is an import the page never renders.
 * `body` is the page's source; without `filePath`, imports cannot be resolved and only the
 * names Snippet and Evidence count.
 */
export function pageShowsSnippets(body: string, filePath: string | undefined): boolean {
  const tree = parsePage(body, filePath);
  const components = new Map<string, string>();
  if (filePath) {
    const pageDir = dirname(resolve(ROOT, filePath));
    for (const { source, bindings } of imports(tree)) {
      if (!source.startsWith('.')) continue;
      for (const [local, imported] of bindings) if (imported === 'default') components.set(local, resolve(pageDir, source));
    }
  }
  return jsxElements(tree).some(({ name }) => {
    if (name === null) return false;
    const file = components.get(name);
    return file === undefined ? SNIPPET_COMPONENTS.has(name) : rendersTestedCode(file);
  });
}
