// The page-body rewrites that keep commands and identifiers whole on a phone and let wide
// tables become cards (site/components/overrides/content-html.ts).
import { describe, expect, test } from 'vitest';
import { keepInlineCodeWhole, keepShellWordsWhole, wrapTables } from '../../site/components/overrides/content-html.ts';

const shell = (...words: string[]) =>
  `<pre data-language="sh"><code><div class="ec-line"><div class="code">${words.map((word) => `<span style="--0:#fff">${word}</span>`).join('<span style="--0:#fff"> </span>')}</div></div></code></pre>`;
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('page body rewrites', () => {
  test('a shell flag is one unbreakable word, and the text copied or read is unchanged', () => {
    const html = keepShellWordsWhole(shell('npx', 'zx', 'runbooks/connection-saturation.ts', '--execute'));
    expect(html).toContain('<span class="ec-word" style="--0:#fff">--execute</span>');
    expect(text(html)).toBe('npx zx runbooks/connection-saturation.ts --execute');
    // A long path may break after its "/", never at the hyphen.
    expect(html).toContain('runbooks/</span><wbr><span class="ec-word" style="--0:#fff">connection-saturation.ts</span>');
  });

  test('a flag with a long value keeps its name whole and breaks the value at separators', () => {
    const html = keepShellWordsWhole(shell('--config.file=monitoring/alertmanager/alertmanager.yml'));
    expect(html).toMatch(/<span class="ec-word"[^>]*>--config\.file=<\/span><wbr>/);
    expect(text(html)).toBe('--config.file=monitoring/alertmanager/alertmanager.yml');
  });

  test('inline code keeps each identifier on one line', () => {
    const html = keepInlineCodeWhole('<p>Set <code data-x>--idle-in-transaction-timeout 60s</code>.</p>');
    expect(html).toBe(
      '<p>Set <code data-x><span class="code-token">--idle-in-transaction-timeout</span> <span class="code-token">60s</span></code>.</p>',
    );
  });

  test('a table of three or more columns gets a named scroll region, a cue and a label on every cell', () => {
    const html = wrapTables(
      '<h2>Flags &amp; defaults</h2><table><thead><tr><th>Flag</th><th>Default</th><th>What it does</th></tr></thead><tbody><tr><td>a</td><td>b</td><td>c</td></tr></tbody></table>',
    );
    expect(html).toContain('role="region" aria-label="Table: Flags &amp; defaults" tabindex="0"');
    expect(html).toContain('class="table-scroll-cue"');
    expect(html).toContain('<table data-stack="" data-columns="3">');
    expect(html).toContain('<td data-label="Flag">a</td><td data-label="Default">b</td><td data-label="What it does">c</td>');
  });

  test('two-column tables scroll with a cue instead of stacking; seven columns stack even on a desktop', () => {
    expect(
      wrapTables('<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>'),
    ).not.toContain('data-stack');
    const seven = `<table><thead><tr>${'<th>h</th>'.repeat(7)}</tr></thead><tbody><tr>${'<td>v</td>'.repeat(7)}</tr></tbody></table>`;
    expect(wrapTables(seven)).toContain('data-stack="wide"');
  });
});
