// Search in Chromium (Starlight's Pagefind): typing a topic lists the page about it among the
// first three results.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, testChromiumIsAvailable, useSitePage, type PageInfo } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('search', () => {
  const site = useSitePage();
  const searches = [
    {
      query: 'N+1',
      about: (info: PageInfo) => /n-plus-one|n\+1/i.test(info.path) || /\bN\+1\b/i.test(info.title),
    },
    {
      query: 'lock',
      about: (info: PageInfo) =>
        pages.some((p) => p.path === '/runbooks/lock-contention/')
          ? info.path === '/runbooks/lock-contention/'
          : /\block/i.test(info.title) || /lock/.test(info.path),
    },
    {
      query: 'rollback',
      about: (info: PageInfo) => /roll-?back/i.test(info.path) || /\broll ?back\b/i.test(info.title),
    },
  ];
  for (const { query, about } of searches) {
    test(`typing "${query}" lists the page about it among the first three results`, async (testContext) => {
      const { page, problems, open } = site;
      const expected = pages.filter(about).map((info) => info.path);
      if (expected.length === 0)
        testContext.skip(`no page is about "${query}" yet (by path or title); this test turns strict when one exists`);
      await open('/');
      await page.locator('button[data-open-modal]').click();
      await page.locator('#starlight__search input').pressSequentially(query, { delay: 20 });
      const firstLinks = page.locator('.pagefind-ui__result .pagefind-ui__result-title a.pagefind-ui__result-link');
      await firstLinks.first().waitFor({ timeout: 30_000 });
      const top = await firstLinks.evaluateAll((links) =>
        links.slice(0, 3).map((link) => new URL((link as HTMLAnchorElement).href).pathname),
      );
      expect(
        top.some((path) => expected.includes(path)),
        `top results ${JSON.stringify(top)}; expected one of ${JSON.stringify(expected)}`,
      ).toBe(true);
      expect(problems).toEqual([]);
    });
  }
});
