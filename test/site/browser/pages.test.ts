// Every page in the sitemap, in Debian's Chromium: it loads without console errors or failed
// requests, has no serious accessibility violation (axe-core) in either theme, and fits a 375 px
// screen. The build, the Chromium and the page come from ./chromium-site.ts.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, seriousViolations, testChromiumIsAvailable, useSitePage } from './chromium-site.ts';

testChromiumIsAvailable();

describe.skipIf(!hasChromium)('every page in the sitemap', () => {
  const site = useSitePage();

  test('the sitemap lists the home page', () => {
    expect(pages.map((info) => info.path)).toContain('/');
  });

  for (const { path } of pages) {
    test(`${path} loads without errors, has no serious accessibility violations in either theme, and fits a 375 px screen`, async () => {
      const { page, origin, problems } = site;
      problems.length = 0;
      const response = await page.goto(origin + path, { waitUntil: 'load' });
      expect(response?.status(), 'HTTP status').toBe(200);
      expect.soft([...(await seriousViolations(page, 'light')), ...(await seriousViolations(page, 'dark'))]).toEqual([]);
      // Collected from the navigation until now (axe takes a while, so late requests are in):
      // console errors, uncaught exceptions, failed requests, 4xx/5xx responses.
      expect.soft(problems, 'console errors and failed requests').toEqual([]);
      problems.length = 0;
      await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));

      await page.setViewportSize({ width: 375, height: 740 });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll<HTMLElement>('main *')]
          .filter(
            (element) =>
              element.getBoundingClientRect().right > width + 1 && !element.closest('pre, .expressive-code, table, .sl-sr-only, .sr-only'),
          )
          .slice(0, 3)
          .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
        return { scrollWidth: document.documentElement.scrollWidth, width, wide };
      });
      await page.setViewportSize({ width: 1280, height: 800 });
      expect
        .soft(overflow.scrollWidth, `horizontal scroll at 375 px, caused by: ${overflow.wide.join(', ')}`)
        .toBeLessThanOrEqual(overflow.width);
      problems.length = 0;
    }, 60_000); // axe on a page with a hundred code blocks takes seconds, more when the whole suite shares 2 cores
  }
});
