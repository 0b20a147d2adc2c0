// Rewrites of a page's rendered HTML that make it usable on a phone and keep identifiers whole.
// MarkdownContent.astro applies them to the page body (including what components render).
// Plain string rewrites of the HTML Starlight and Expressive Code produce, kept small so they
// can move into a rehype plugin unchanged in spirit.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** Undoes the entities Astro writes into text, so an aria-label or data-label is not escaped twice. */
const decode = (value: string) =>
  value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Tables with at least this many columns turn into stacked cards on a narrow column (tables.css). */
const STACK_FROM_COLUMNS = 3;
/** ...and from this many columns already in a desktop column. */
const STACK_WIDE_FROM_COLUMNS = 6;

/**
 * Puts every table in a labelled, focusable scroll region with a "scrolls sideways" cue, and
 * labels each cell with its column header so that tables of three or more columns can be shown
 * as one card per row on a narrow screen.
 *
 * A region that scrolls must take keyboard focus (axe: scrollable-region-focusable); its name
 * comes from the table's caption or the heading above it.
 */
export function wrapTables(body: string): string {
  const used = new Map<string, number>();
  return body.replace(/<table\b[\s\S]*?<\/table>/g, (table, offset: number) => {
    const caption = /<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(table)?.[1];
    const headings = [...body.slice(0, offset).matchAll(/<h[2-6]\b[^>]*>([\s\S]*?)<\/h[2-6]>/g)];
    let name = decode(text(caption ?? headings.at(-1)?.[1] ?? '')) || 'Table';
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    if (seen > 1) name = `${name} (${seen})`;
    const headerRow = /<thead\b[\s\S]*?<tr\b[^>]*>([\s\S]*?)<\/tr>/.exec(table)?.[1] ?? '';
    const headers = [...headerRow.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((match) => decode(text(match[1]!)));
    let labelled = table;
    if (headers.length >= STACK_FROM_COLUMNS) {
      labelled = table.replace(/<tbody\b[\s\S]*?<\/tbody>/, (tbody) =>
        tbody.replace(/<tr\b[^>]*>[\s\S]*?<\/tr>/g, (row) => {
          let column = 0;
          return row.replace(/<(td|th)\b/g, (cell) => `${cell} data-label="${attribute(headers[column++] ?? '')}"`);
        }),
      );
      const stack = headers.length >= STACK_WIDE_FROM_COLUMNS ? 'wide' : '';
      labelled = labelled.replace(/^<table\b/, `<table data-stack="${stack}" data-columns="${headers.length}"`);
    }
    return (
      `<div class="table-wrap"><p class="table-scroll-cue" aria-hidden="true">Scroll sideways for more columns →</p>` +
      `<div class="table-scroll" role="region" aria-label="${attribute(caption ? name : `Table: ${name}`)}" tabindex="0">${labelled}</div></div>`
    );
  });
}

/** Identifiers longer than this may break at a separator so they never widen a phone screen. */
const LONG_TOKEN = 24;
/** A piece still longer than this after splitting is left breakable anywhere rather than overflow. */
const UNBREAKABLE_MAX = 32;

/**
 * Unbreakable pieces of a word: the whole word, or for a long one its parts after each "/", "=",
 * "(" or "," (or a "." or "_" before a long part). A flag keeps its name whole: `--config.file=`
 * then its value, so a line never breaks inside `--config.file`.
 */
function pieces(word: string): string[] {
  if (decode(word).length <= LONG_TOKEN) return [word];
  const flag = /^--?[^=]+=/.exec(word)?.[0] ?? (word.startsWith('-') ? word : '');
  const rest = word.slice(flag.length);
  const parts = rest ? rest.split(/(?<=[/=(,])(?=.)|(?<=[._])(?=[^/._=(,]{6})/) : [];
  return flag ? [flag, ...parts] : parts;
}

/** Spans that keep each piece on one line, with a break opportunity between pieces. */
const unbreakable = (word: string, open: string) =>
  pieces(word)
    .map((piece) => (decode(piece).length > UNBREAKABLE_MAX ? piece : `${open}${piece}</span>`))
    .join('<wbr>');

/**
 * Inline code never breaks inside a word: each space-separated token of a `<code>` becomes
 * unbreakable spans, so `--idle-in-transaction-timeout` stays on one line. A token longer than a
 * phone line may still break after a path separator (`runbooks/` `lock-contention.ts`), never at
 * a hyphen.
 */
export function keepInlineCodeWhole(body: string): string {
  return body.replace(/<code(\s[^>]*)?>([^<]+)<\/code>/g, (_whole, attributes: string | undefined, content: string) => {
    const tokens = content.split(/(\s+)/).map((part) => {
      if (!part || /^\s+$/.test(part)) return part;
      return unbreakable(part, '<span class="code-token">');
    });
    return `<code${attributes ?? ''}>${tokens.join('')}</code>`;
  });
}

const SHELL = /<pre\b[^>]*data-language="(?:sh|bash|shell|zsh|console)"[\s\S]*?<\/pre>/g;

/**
 * In shell blocks, a wrapped line breaks only between words: each word Expressive Code
 * tokenised (a flag, a path, a value) is kept whole, so `--execute` never becomes `--` / `execute`.
 * A path longer than a phone line may break after a "/" (the copy button copies the command as
 * written either way).
 */
export function keepShellWordsWhole(body: string): string {
  return body.replace(SHELL, (pre) =>
    pre.replace(/<span style="([^"]*)">([^<\s]+)<\/span>/g, (_span, style: string, word: string) => {
      // A piece too long for any line stays breakable, but keeps its colour.
      const whole = unbreakable(word, `<span class="ec-word" style="${style}">`);
      return whole.replace(/(^|<wbr>)([^<]+)(?=<wbr>|$)/g, `$1<span style="${style}">$2</span>`);
    }),
  );
}

export function rewriteContent(body: string): string {
  return keepShellWordsWhole(keepInlineCodeWhole(wrapTables(body)));
}
