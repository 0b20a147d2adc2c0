// Rewrites of a page's rendered HTML that keep identifiers whole on a phone.
// MarkdownContent.astro applies them to the page body (including what components render).
// Plain string rewrites of the HTML Starlight and Expressive Code produce, kept small so they
// can move into a rehype plugin unchanged in spirit. (Tables are not rewritten here: the
// Markdown pipeline and TableScroll.astro wrap them, see site/lib/table-scroll.ts.)

/** Undoes the entities Astro writes into text, so that a word's length counts characters. */
const decode = (value: string) =>
  value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');

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
  return keepShellWordsWhole(keepInlineCodeWhole(body));
}
