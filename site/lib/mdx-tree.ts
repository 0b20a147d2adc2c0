// A handbook page as a syntax tree, for the checks that read pages: the provenance test
// (test/site/provenance.test.ts) and the verification badge (verification-badge.ts).
//
// The tree comes from Sätteri, the Markdown and MDX parser Astro renders the pages with, so a
// check sees what the site renders: `<Snippet>` inside a code fence or an inline code span is
// text, not a component, and an attribute spread over several lines is still one attribute.
// The JavaScript inside MDX (import lines, `{…}` attribute values) is parsed with acorn, the
// parser MDX itself uses for it.
import { parse as parseScript, parseExpressionAt, type Expression } from 'acorn';
import { markdownToMdast, mdxToMdast, type MdastNode, type MdxJsxFlowElement, type MdxJsxTextElement } from 'satteri';

export type PageTree = Extract<MdastNode, { type: 'root' }>;
type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;
type CodeBlock = Extract<MdastNode, { type: 'code' }>;

/**
 * Parses a page: MDX, or plain Markdown for a `.md` file (where `<Tag>` is HTML, not a
 * component). Directives are on, as Starlight turns them on for its asides (`:::note`).
 */
export function parsePage(source: string, path = 'page.mdx'): PageTree {
  const options = { features: { directive: true } };
  const tree = path.endsWith('.md') ? markdownToMdast(source, options) : mdxToMdast(source, options);
  if (tree.type !== 'root') throw new Error(`${path}: the parser returned a ${tree.type}, not a document`);
  return tree;
}

/** Every node of a tree, in document order. */
function* nodes(node: MdastNode): Generator<MdastNode> {
  yield node;
  if ('children' in node) for (const child of node.children) yield* nodes(child);
}

/** The line a node starts on (1-based, counted in the source as given, frontmatter included). */
export const lineOf = (node: MdastNode): number => node.position?.start.line ?? 0;

/** The JSX elements of a page in document order, or only those with one of `names`. */
export function jsxElements(tree: PageTree, names?: Iterable<string>): JsxElement[] {
  const wanted = names ? new Set(names) : undefined;
  const elements: JsxElement[] = [];
  for (const node of nodes(tree)) {
    if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') continue;
    if (!wanted || (node.name !== null && wanted.has(node.name))) elements.push(node);
  }
  return elements;
}

export function hasAttribute(element: JsxElement, name: string): boolean {
  return element.attributes.some((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === name);
}

/**
 * The value of an attribute when it is a string the page spells out: `file="x"`, or an
 * expression that is nothing but a string, `file={"x"}` or ``file={`x`}``. Undefined when the
 * attribute is missing or computed (`file={path}`, ``file={`${dir}/x`}``).
 */
export function stringAttribute(element: JsxElement, name: string): string | undefined {
  const attribute = element.attributes.find((candidate) => candidate.type === 'mdxJsxAttribute' && candidate.name === name);
  if (attribute?.type !== 'mdxJsxAttribute') return undefined;
  const { value } = attribute;
  if (typeof value === 'string') return value;
  if (!value) return undefined;
  let expression: Expression;
  try {
    expression = parseExpressionAt(value.value, 0, { ecmaVersion: 'latest' });
  } catch {
    return undefined;
  }
  // parseExpressionAt stops after the first expression: `{"a" + b}` is not a plain string.
  if (value.value.slice(expression.end).trim()) return undefined;
  if (expression.type === 'Literal' && typeof expression.value === 'string') return expression.value;
  if (expression.type === 'TemplateLiteral' && expression.expressions.length === 0) return expression.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

interface Import {
  /** The module specifier as written, e.g. `../../components/Snippet.astro`. */
  source: string;
  /** Local name → the name it imports: `default`, `*` for a namespace, or the exported name. */
  bindings: Map<string, string>;
}

/** The page's `import` declarations (from its ESM blocks; `import type` has no place in MDX). */
export function imports(tree: PageTree): Import[] {
  const found: Import[] = [];
  for (const node of nodes(tree)) {
    if (node.type !== 'mdxjsEsm') continue;
    for (const statement of parseScript(node.value, { ecmaVersion: 'latest', sourceType: 'module' }).body) {
      if (statement.type !== 'ImportDeclaration') continue;
      const bindings = new Map<string, string>();
      for (const specifier of statement.specifiers) {
        const imported =
          specifier.type === 'ImportDefaultSpecifier'
            ? 'default'
            : specifier.type === 'ImportNamespaceSpecifier'
              ? '*'
              : specifier.imported.type === 'Identifier'
                ? specifier.imported.name
                : String(specifier.imported.value);
        bindings.set(specifier.local.name, imported);
      }
      found.push({ source: String(statement.source.value), bindings });
    }
  }
  return found;
}

/** Fenced (and, in Markdown, indented) code blocks, with the language of their info string. */
export function codeBlocks(tree: PageTree): CodeBlock[] {
  return [...nodes(tree)].filter((node): node is CodeBlock => node.type === 'code');
}

/**
 * Every string a page holds: prose, inline code, code blocks, attribute values, and the source
 * of its expressions and ESM blocks (import specifiers among them). Markup and frontmatter
 * are not in it.
 */
export function strings(tree: PageTree): string[] {
  const found: string[] = [];
  for (const node of nodes(tree)) {
    switch (node.type) {
      case 'text':
      case 'inlineCode':
      case 'code':
      case 'html':
      case 'mdxjsEsm':
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        found.push(node.value);
        break;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        for (const attribute of node.attributes) {
          if (attribute.type === 'mdxJsxExpressionAttribute') found.push(attribute.value);
          else if (typeof attribute.value === 'string') found.push(attribute.value);
          else if (attribute.value) found.push(attribute.value.value);
        }
        break;
    }
  }
  return found;
}
