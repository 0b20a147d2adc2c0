// The home page in Chromium: each of the three audiences of docs/index.mdx (developers,
// on-call, maintainers) gets to a real page in one click from the hero.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, testChromiumIsAvailable, useSitePage } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('home page', () => {
  const site = useSitePage();
  // The three audiences of docs/index.mdx: developers, on-call, maintainers.
  const routes = [
    { audience: 'a developer starting the migration', name: /guide/i, path: /^\/guide\// },
    { audience: 'an on-call engineer during an incident', name: /incident/i, path: /^\/runbooks\// },
    { audience: 'someone adding or changing the docs', name: /(add|change).*docs/i, path: /^\/reference\// },
  ];
  for (const route of routes) {
    test(`routes ${route.audience} to a real page in one click`, async () => {
      const { page, open } = site;
      await open('/');
      const link = page.locator('.hero a', { hasText: route.name }).first();
      await expect.poll(() => link.count(), { message: `a hero link matching ${route.name}` }).toBe(1);
      const [response] = await Promise.all([page.waitForNavigation(), link.click()]);
      const landed = new URL(page.url()).pathname;
      expect(landed).toMatch(route.path);
      expect(response?.status(), `${landed} must exist`).toBe(200);
      expect(
        pages.map((info) => info.path),
        `${landed} is a page in the sitemap`,
      ).toContain(landed);
    });
  }
});
