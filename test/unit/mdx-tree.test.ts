// Pages read as syntax trees (site/lib/mdx-tree.ts) and the verification badge decided on them
// (site/lib/verification-badge.ts): inputs that a regular expression over the source gets wrong.
import { describe, expect, test } from 'vitest';
import { codeBlocks, hasAttribute, imports, jsxElements, lineOf, parsePage, stringAttribute, strings } from '../../site/lib/mdx-tree.ts';
import { pageShowsSnippets } from '../../site/lib/verification-badge.ts';

const mdx = (...lines: string[]) => parsePage(lines.join('\n'));

describe('a page as a tree', () => {
  test('a component named inside a code fence or an inline code span is text, not an element', () => {
    const tree = mdx(
      'Render it with `<Snippet file="a.ts" />`.',
      '',
      '```text',
      '<Snippet file="b.ts" />',
      '```',
      '',
      '<Snippet file="c.ts" />',
    );
    expect(jsxElements(tree, ['Snippet']).map((element) => stringAttribute(element, 'file'))).toEqual(['c.ts']);
    expect(strings(tree)).toEqual(expect.arrayContaining(['<Snippet file="a.ts" />', '<Snippet file="b.ts" />', 'c.ts']));
  });

  test('an attribute over several lines, with `>` inside a value and the value in braces, is one attribute', () => {
    const tree = mdx('Before.', '', '<Evidence', '  title="a -> b"', '  file={"relations/evidence/x.sql"}', '/>');
    const [evidence] = jsxElements(tree, ['Evidence']);
    expect(evidence && lineOf(evidence)).toBe(3);
    expect(evidence && stringAttribute(evidence, 'title')).toBe('a -> b');
    expect(evidence && stringAttribute(evidence, 'file')).toBe('relations/evidence/x.sql');
  });

  test('only a value the page spells out is a string: a variable, an interpolation or a sum is not', () => {
    const [element] = jsxElements(mdx('<Snippet a={`x`} b={path} c={`${dir}/x`} d={"x" + y} e f="" />'));
    if (!element) throw new Error('no element');
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => stringAttribute(element, name))).toEqual([
      'x',
      undefined,
      undefined,
      undefined,
      undefined,
      '',
      undefined,
    ]);
    expect(hasAttribute(element, 'b')).toBe(true);
    expect(hasAttribute(element, 'g')).toBe(false);
  });

  test('imports, renamed with `as`, across several lines, and not mistaken in prose', () => {
    const tree = mdx(
      '---',
      'title: x',
      '---',
      "import { Code as Listing, Aside } from '@astrojs/starlight/components';",
      'import Shown, {',
      '  default as AlsoShown,',
      "} from '../../components/Snippet.astro';",
      "import * as data from '../../data/x.ts';",
      '',
      "Write `import Snippet from './Snippet.astro'` at the top.",
    );
    expect(imports(tree).map(({ source, bindings }) => [source, Object.fromEntries(bindings)])).toEqual([
      ['@astrojs/starlight/components', { Listing: 'Code', Aside: 'Aside' }],
      ['../../components/Snippet.astro', { Shown: 'default', AlsoShown: 'default' }],
      ['../../data/x.ts', { data: '*' }],
    ]);
  });

  test('code blocks keep their language and line; a fence inside a longer fence is content', () => {
    const tree = mdx('Intro.', '', '````md', '```ts', 'const x = 1;', '```', '````', '', '~~~sql title="q"', 'select 1', '~~~');
    expect(codeBlocks(tree).map((block) => [block.lang, block.meta, lineOf(block)])).toEqual([
      ['md', null, 3],
      ['sql', 'title="q"', 9],
    ]);
  });

  test('in a .md page, a tag is HTML, not a component', () => {
    const tree = parsePage('<Snippet file="a.ts" />\n\nText.', 'site/content/docs/reference/x.md');
    expect(jsxElements(tree)).toEqual([]);
  });
});

describe('which pages carry a verification badge', () => {
  const page = 'site/content/docs/guide/example.mdx';

  test('a page that renders a Snippet, directly or through an imported component that does', () => {
    expect(pageShowsSnippets('<Snippet file="app/seed.ts" region="x" />', page)).toBe(true);
    expect(pageShowsSnippets("import Quiz from '../../../components/Quiz.astro';\n\n<Quiz quiz={quiz} />", page)).toBe(true);
    expect(
      pageShowsSnippets('import Steps from \'../../../components/RunbookSteps.astro\';\n\n<Steps runbook="x" part="read" />', page),
    ).toBe(true);
  });

  test('not a page that only names the components, or imports one it never renders', () => {
    expect(pageShowsSnippets('Use the `<Snippet>` and `<Evidence>` components.\n\n```text\n<Snippet file="a.ts" />\n```', page)).toBe(
      false,
    );
    expect(pageShowsSnippets("import Quiz from '../../../components/Quiz.astro';\n\nNo quiz here.", page)).toBe(false);
    expect(pageShowsSnippets('import Chart from \'../../../components/BenchChart.astro\';\n\n<Chart suite="trees" />', page)).toBe(false);
  });
});
