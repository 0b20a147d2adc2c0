// The page-body rewrites that keep commands and identifiers whole on a phone
// (site/components/overrides/content-html.ts). Tables: table-scroll.test.ts.
import { describe, expect, test } from 'vitest';
import { keepInlineCodeWhole, keepShellWordsWhole } from '../../site/components/overrides/content-html.ts';

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
});
