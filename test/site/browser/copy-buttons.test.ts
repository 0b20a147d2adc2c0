// Copy buttons in Chromium: every runbook page has a command to copy, and each copy button puts
// exactly the command it shows on the clipboard.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, runbookPages, testChromiumIsAvailable, useSitePage, withClipboard } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('copy buttons', () => {
  const site = useSitePage();

  test('every runbook page offers a command to copy', () => {
    for (const info of runbookPages) {
      expect.soft(info.html.includes('data-code='), `${info.path} has no copyable code block`).toBe(true);
    }
  });

  // Until runbooks exist, the same check runs on any page with code so the machinery stays proven.
  const withCode = runbookPages.length > 0 ? runbookPages : pages.filter((info) => info.html.includes('data-code='));
  for (const { path } of withCode) {
    test(`on ${path}, each copy button puts exactly the command shown on the clipboard`, async () => {
      const { page, open } = site;
      await open(path);
      // Code folded into <details> (solutions, fallbacks) is opened; code in hidden tabs is skipped.
      await page.evaluate(() =>
        document.querySelectorAll('main details').forEach((details) => ((details as HTMLDetailsElement).open = true)),
      );
      const blocks = page.locator('main .expressive-code:visible');
      const count = await blocks.count();
      expect(count).toBeGreaterThan(0);
      for (let index = 0; index < count; index += 1) {
        const block = blocks.nth(index);
        const shown = await block
          .locator('pre')
          .evaluate((pre) =>
            [...pre.querySelectorAll<HTMLElement>('.ec-line .code')].map((line) => line.innerText.replace(/\n$/, '')).join('\n'),
          );
        await withClipboard(async () => {
          await page.evaluate(() => navigator.clipboard.writeText(''));
          await block.hover();
          await block.locator('.copy button').click();
          await expect
            .poll(() => page.evaluate(() => navigator.clipboard.readText()), { message: `block ${index + 1} on ${path}` })
            .toBe(shown);
        });
      }
    });
  }
});
