// Tables that stay usable on a phone and by keyboard. Every table sits in a labelled, focusable
// scroll region with a "scrolls sideways" cue (a region that scrolls must take keyboard focus,
// axe: scrollable-region-focusable), and a table of three or more columns carries its column
// names, so that tables.css can show it as one card per row, each value under its column's
// name, on a narrow column:
//
//   <div class="table-wrap">
//     <p class="table-scroll-cue" aria-hidden="true">Scroll sideways for more columns →</p>
//     <div class="table-scroll" role="region" aria-label="Table: Flags" tabindex="0">
//       <table data-stack="" data-columns="3" style='--column-1: "Flag"; …'>…</table>
//
// Tables written in Markdown or MDX get this from `tableScroll`, a hast ("rehype") plugin for
// Sätteri, Astro's Markdown processor (astro.config.mjs); tables that components render get it
// from TableScroll.astro. The column names go on the table, not on each cell, because the rows
// of most tables are rendered later, by an expression or a component, where no plugin sees them.
import { defineHastPlugin, type HastNode, type HastVisitorContext } from 'satteri';

export const SCROLL_CUE = 'Scroll sideways for more columns →';
/** Tables with at least this many columns turn into stacked cards on a narrow column (tables.css). */
const STACK_FROM_COLUMNS = 3;
/** ...and from this many columns already in a desktop column. */
const STACK_WIDE_FROM_COLUMNS = 6;
/** tables.css shows the names of this many columns on a card; a wider table would lose some. */
const LABELLED_COLUMNS = 8;

/**
 * A CSS string literal, for a custom property's value: ASCII only, anything else as a CSS escape
 * ("÷" is `\f7 `). Sätteri 0.10 turns a style attribute into a JSX style object for MDX and
 * mangles non-ASCII text on the way ("÷" came out as "Ã·").
 */
const cssCharacter = (char: string) =>
  char === '"' || char === '\\' || char < ' ' || char > '~' ? `\\${char.codePointAt(0)!.toString(16)} ` : char;
const cssString = (text: string) => `"${[...text].map(cssCharacter).join('')}"`;

/**
 * The table's own attributes for its column names: none under three columns (it scrolls
 * instead), else `data-stack` ("wide" from six columns: cards even on a desktop),
 * `data-columns`, and each column's name as `--column-<n>` for tables.css.
 */
export function tableAttributes(columns: readonly string[]): Record<string, string> {
  if (columns.length < STACK_FROM_COLUMNS) return {};
  if (columns.length > LABELLED_COLUMNS)
    throw new Error(
      `a table of ${columns.length} columns (${columns.join(', ')}): tables.css names at most ${LABELLED_COLUMNS} columns on a card`,
    );
  return {
    'data-stack': columns.length >= STACK_WIDE_FROM_COLUMNS ? 'wide' : '',
    'data-columns': String(columns.length),
    style: columns
      .map((column, index) => (column ? `--column-${index + 1}: ${cssString(column)}` : ''))
      .filter(Boolean)
      .join('; '),
  };
}

/** The scroll region's attributes; `label` is its accessible name. */
export const regionAttributes = (label: string) => ({ class: 'table-scroll', role: 'region' as const, 'aria-label': label, tabindex: '0' });

// ---------------------------------------------------------------- the plugin

type Element = Extract<HastNode, { type: 'element' }>;

/** An element's tag, whether the Markdown made it (`element`) or the MDX spells it as JSX. */
function tagOf(node: HastNode): string | undefined {
  if (node.type === 'element') return node.tagName;
  if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') return node.name ?? undefined;
  return undefined;
}

const childrenOf = (node: HastNode): HastNode[] => ('children' in node ? node.children : []);

function hasClass(node: HastNode, name: string): boolean {
  if (node.type === 'element') {
    const classes = node.properties.className;
    return Array.isArray(classes) && classes.includes(name);
  }
  if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return false;
  return node.attributes.some(
    (attribute) =>
      attribute.type === 'mdxJsxAttribute' &&
      (attribute.name === 'class' || attribute.name === 'className') &&
      typeof attribute.value === 'string' &&
      attribute.value.split(' ').includes(name),
  );
}

/** The text of a node, its whitespace collapsed. Expressions are left out: their text is not known yet. */
function textOf(node: HastNode): string {
  const collect = (current: HastNode): string => (current.type === 'text' ? current.value : childrenOf(current).map(collect).join(''));
  return collect(node).replace(/\s+/g, ' ').trim();
}

/** The first child with this tag. */
const childTagged = (node: HastNode, tag: string) => childrenOf(node).find((child) => tagOf(child) === tag);

/** The header cells of the table's first head row, as text. */
function columnsOf(table: HastNode): string[] {
  const head = childTagged(table, 'thead');
  const row = head && childTagged(head, 'tr');
  return row
    ? childrenOf(row)
        .filter((cell) => tagOf(cell) === 'th')
        .map(textOf)
    : [];
}

const HEADINGS = ['h2', 'h3', 'h4', 'h5', 'h6'];

/** The last heading inside `node` (or `node` itself), in document order. */
function lastHeading(node: HastNode): HastNode | undefined {
  if (HEADINGS.includes(tagOf(node) ?? '')) return node;
  for (const child of childrenOf(node).toReversed()) {
    const found = lastHeading(child);
    if (found) return found;
  }
  return undefined;
}

/** The nearest heading before `node` in the document. */
function headingBefore(node: HastNode, ctx: HastVisitorContext): HastNode | undefined {
  for (let current = node, parent = ctx.parent(current); parent; current = parent, parent = ctx.parent(current)) {
    const siblings = childrenOf(parent).slice(0, ctx.indexOf(current));
    for (const sibling of siblings.toReversed()) {
      const found = lastHeading(sibling);
      if (found) return found;
    }
  }
  return undefined;
}

const element = (tagName: string, properties: Element['properties'], children: Element['children'] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});

/**
 * Step one: each table goes into a `.table-wrap`, unless it is in a scroll region already (one
 * written by hand, as the diagrams do). Sätteri keeps one wrapper per node and pass, so the
 * region and the cue inside `.table-wrap` are step two.
 */
const wrapPass = () => {
  const visit = (table: HastNode, ctx: HastVisitorContext) => {
    const parent = ctx.parent(table);
    if (!parent || !hasClass(parent, 'table-scroll')) ctx.wrapNode(table, element('div', { className: ['table-wrap'] }));
  };
  return defineHastPlugin({
    name: 'table-scroll:wrap',
    element: { filter: ['table'], visit },
    mdxJsxFlowElement: { filter: ['table'], visit },
    mdxJsxTextElement: { filter: ['table'], visit },
  });
};

/**
 * Step two: in each `.table-wrap` from step one, the cue, then the region around the table.
 * The region is named by the table's caption, or else "Table: " and the heading above it;
 * names are unique on the page ("(2)" for the second table under one heading).
 */
const regionPass = () => {
  const used = new Map<string, number>();
  const visit = (table: HastNode, ctx: HastVisitorContext) => {
    const parent = ctx.parent(table);
    if (!parent || tagOf(parent) !== 'div' || !hasClass(parent, 'table-wrap')) return;
    const caption = childTagged(table, 'caption');
    const source = caption ?? headingBefore(parent, ctx);
    let name = (source ? textOf(source) : '') || 'Table';
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    if (seen > 1) name = `${name} (${seen})`;
    for (const [attribute, value] of Object.entries(tableAttributes(columnsOf(table)))) ctx.setProperty(table, attribute, value);
    ctx.insertBefore(table, element('p', { className: ['table-scroll-cue'], ariaHidden: 'true' }, [{ type: 'text', value: SCROLL_CUE }]));
    const { class: className, role, 'aria-label': ariaLabel, tabindex } = regionAttributes(caption ? name : `Table: ${name}`);
    ctx.wrapNode(table, element('div', { className: [className], role, ariaLabel, tabIndex: Number(tabindex) }));
  };
  return defineHastPlugin({
    name: 'table-scroll:region',
    element: { filter: ['table'], visit },
    mdxJsxFlowElement: { filter: ['table'], visit },
    mdxJsxTextElement: { filter: ['table'], visit },
  });
};

/** The plugin, for `satteri({ hastPlugins: [tableScroll] })`: fresh per page, since names are unique per page. */
export const tableScroll = () => [wrapPass(), regionPass()];
