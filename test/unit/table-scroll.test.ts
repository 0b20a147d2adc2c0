// The table plugin of the Markdown pipeline (site/lib/table-scroll.ts), run by Sätteri as
// `astro build` runs it. Written as HTML (rawHtml), a table inside a table cell or an already
// wrapped one becomes elements of the hast tree the plugin walks, as a Markdown table does.
import { htmlToHast, markdownToHtml, mdxToJs, type HastNode } from 'satteri';
import { describe, expect, test } from 'vitest';
import { tableAttributes, tableScroll } from '../../site/lib/table-scroll.ts';

const render = (markdown: string) => markdownToHtml(markdown, { hastPlugins: [tableScroll], features: { rawHtml: true } }).html;

type Element = Extract<HastNode, { type: 'element' }>;
const classes = (node: Element | undefined) => (Array.isArray(node?.properties.className) ? node.properties.className.map(String) : []);
const kids = (node: HastNode): HastNode[] => ('children' in node ? node.children : []);
const text = (node: HastNode): string => (node.type === 'text' ? node.value : kids(node).map(text).join(''));

/** Each table of the rendered page, outermost first, with the region and cue around it. */
function tables(html: string) {
  const found: { region?: string; cue: boolean; attributes: Record<string, unknown>; firstCell: string }[] = [];
  const walk = (node: HastNode, ancestors: Element[]) => {
    if (node.type === 'element' && node.tagName === 'table') {
      const [wrap, region] = ancestors.slice(-2);
      const wrapped = classes(wrap).includes('table-wrap') && classes(region).includes('table-scroll');
      const cue = wrapped && kids(wrap!).some((child) => child.type === 'element' && classes(child).includes('table-scroll-cue'));
      const { dataStack, dataColumns, style } = node.properties;
      const cell = kids(node)
        .flatMap(kids)
        .flatMap(kids)
        .find((child) => child.type === 'element' && (child.tagName === 'th' || child.tagName === 'td'));
      found.push({
        region: wrapped ? String(region!.properties.ariaLabel) : undefined,
        cue,
        attributes: Object.fromEntries(Object.entries({ dataStack, dataColumns, style }).filter(([, value]) => value !== undefined)),
        firstCell: cell ? text(cell).trim() : '',
      });
    }
    for (const child of kids(node)) walk(child, node.type === 'element' ? [...ancestors, node] : ancestors);
  };
  walk(htmlToHast(html, { fragment: true }), []);
  return found;
}

describe('tables in Markdown and MDX', () => {
  test('a table gets a region named after the heading above it, a cue, and its column names', () => {
    const html = render(['## Flags & defaults', '', '| Flag | Default | Loop ÷ join |', '| - | - | - |', '| a | b | c |'].join('\n'));
    expect(tables(html)).toEqual([
      {
        region: 'Table: Flags & defaults',
        cue: true,
        attributes: { dataStack: '', dataColumns: '3', style: '--column-1: "Flag"; --column-2: "Default"; --column-3: "Loop \\f7  join"' },
        firstCell: 'Flag',
      },
    ]);
    expect(html).toContain('<p class="table-scroll-cue" aria-hidden="true">Scroll sideways for more columns →</p>');
    expect(html).toContain('role="region" aria-label="Table: Flags &amp; defaults" tabindex="0"');
  });

  test('two columns scroll instead of stacking, six stack even on a desktop; names are unique on the page', () => {
    const table = (columns: number) =>
      [`|${' h |'.repeat(columns)}`, `|${' - |'.repeat(columns)}`, `|${' v |'.repeat(columns)}`, ''].join('\n');
    const found = tables(render(['Before any heading.', '', table(2), '### Twice', '', table(6), table(2)].join('\n')));
    expect(found.map(({ region, attributes }) => [region, attributes.dataStack])).toEqual([
      ['Table: Table', undefined],
      ['Table: Twice', 'wide'],
      ['Table: Twice (2)', undefined],
    ]);
  });

  test('a table inside a table cell: each gets its own region, the inner one named by its caption', () => {
    const html = render(
      '## Outer\n\n<table><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead><tbody><tr><td><table><caption>Inner</caption><tbody><tr><td>x</td></tr></tbody></table></td><td>2</td><td>3</td></tr></tbody></table>\n',
    );
    expect(tables(html)).toEqual([
      { region: 'Table: Outer', cue: true, attributes: expect.objectContaining({ dataColumns: '3' }) as unknown, firstCell: 'A' },
      { region: 'Inner', cue: true, attributes: {}, firstCell: 'x' },
    ]);
    expect(html.match(/class="table-wrap"/g)).toHaveLength(2);
  });

  test('a table already in a scroll region is left as it is', () => {
    const wrapped =
      '<div class="table-wrap"><div class="table-scroll" role="region" aria-label="Mine" tabindex="0"><table><tbody><tr><td>done</td></tr></tbody></table></div></div>';
    const html = render(`## Heading\n\n${wrapped}\n`);
    expect(tables(html)).toEqual([{ region: 'Mine', cue: false, attributes: {}, firstCell: 'done' }]);
    expect(html).toBe(markdownToHtml(`## Heading\n\n${wrapped}\n`, { features: { rawHtml: true } }).html);
  });

  test('a page without a table is not changed', () => {
    const page = '## A heading\n\nText with `<table>` in code, and a list:\n\n- one\n- two\n';
    expect(render(page)).toBe(markdownToHtml(page, { features: { rawHtml: true } }).html);
  });

  test('an MDX table whose rows an expression renders still gets its region and column names', () => {
    const page = [
      '## Routing',
      '',
      '<table>',
      '  <thead><tr><th>Severity</th><th>Receivers</th><th>Repeat</th></tr></thead>',
      '  <tbody>',
      '    {rows.map((row) => <tr><td>{row.severity}</td><td>{row.receivers}</td><td>{row.repeat}</td></tr>)}',
      '  </tbody>',
      '</table>',
    ].join('\n');
    const code = mdxToJs(page, { hastPlugins: [tableScroll], jsx: true }).code;
    expect(code).toContain('className="table-scroll" role="region" aria-label="Table: Routing" tabIndex="0"');
    expect(code).toContain(
      `<table data-stack="" data-columns="3" style='--column-1: "Severity"; --column-2: "Receivers"; --column-3: "Repeat"'>`,
    );
    expect(code).toContain('{rows.map((row) =>');
  });

  test('a table wider than tables.css can name refuses to build', () => {
    expect(() => tableAttributes(Array.from({ length: 9 }, (_, index) => `c${index}`))).toThrow(/at most 8 columns/);
  });
});
