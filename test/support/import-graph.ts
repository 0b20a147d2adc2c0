// What each source file of the project imports, read with the TypeScript parser: static
// imports, re-exports and `import()` calls, with whether the import is type-only (erased at
// run time). Astro components are read from their frontmatter and scripts, MDX pages from
// their ESM lines. Used by the dependency-direction and runbook-data-imports tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the project root. */
  from: string;
  specifier: string;
  /** The imported file relative to the project root, or undefined for a package or `node:` module. */
  to?: string;
  typeOnly: boolean;
}

const SOURCE = /\.(ts|mts|js|mjs|astro|mdx)$/;

/** Tracked source files (fixtures excluded: they are inputs to tools, not project code). */
export function sourceFiles(root: string): string[] {
  return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => SOURCE.test(file) && !file.includes('/fixtures/'));
}

/** The part of a file that imports at build or run time: an .astro file's frontmatter and scripts, an MDX file's ESM lines. */
export function moduleCode(file: string, text: string): string {
  if (file.endsWith('.astro')) {
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    return [frontmatter, ...scripts].join('\n');
  }
  if (file.endsWith('.mdx'))
    return [...text.matchAll(/^(?:import|export)\b[^\n]*(?:\n(?!\n)[^\n]*)*/gm)].map((match) => match[0]).join('\n');
  return text;
}

/**
 * The specifiers a module names. `typeOnly` marks what the bundler erases: `import type`,
 * `export type` and `import('x').T` in a type position. `import { type A } from` is kept as a
 * bare import under verbatimModuleSyntax, so it loads the module; `import('x')` calls load too.
 */
export function specifiersOf(code: string, fileName: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly === true });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function importsOf(root: string, file: string): ImportEdge[] {
  const code = moduleCode(file, readFileSync(join(root, file), 'utf8'));
  return specifiersOf(code, file).map(({ specifier, typeOnly }) => {
    const local = specifier.startsWith('.') || specifier.startsWith('/');
    const to = local ? relative(root, resolve(dirname(join(root, file)), specifier.replace(/\?.*$/, ''))) : undefined;
    return { from: file, specifier, to, typeOnly };
  });
}

/** The top-level folder a project file lives in ('.' for files at the root). */
export function topFolder(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : '.';
}
