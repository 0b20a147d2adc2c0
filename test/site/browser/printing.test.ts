// Printing in Chromium: runbooks (until they exist, pages with code) print without the sidebar
// or the header, with every line of code inside an A4 page, and in the light theme.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, runbookPages, testChromiumIsAvailable, useSitePage } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('printing', () => {
  const site = useSitePage();
  // Runbooks matter most on paper; until they exist, any page with code proves the print rules.
  const printable = runbookPages.length > 0 ? runbookPages : pages.filter((info) => info.html.includes('<pre')).slice(0, 3);
  for (const { path } of printable) {
    test(`${path} prints without sidebar or header, with every line of code inside the page`, async () => {
      const { page, open } = site;
      await open(path);
      // An A4 page at 96 dpi, minus Chromium's default margins.
      await page.setViewportSize({ width: 718, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      try {
        const layout = await page.evaluate(() => {
          const shown = (selector: string) =>
            [...document.querySelectorAll<HTMLElement>(selector)].some(
              (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden',
            );
          const clipped = [...document.querySelectorAll<HTMLElement>('main pre, main .ec-line .code')]
            .filter((element) => element.scrollWidth > element.clientWidth + 1)
            .map((element) => element.innerText.slice(0, 60));
          return {
            chrome: [
              '.page > header',
              'nav.sidebar',
              '.right-sidebar-container',
              '.pagination-links',
              '.expressive-code .copy',
              'site-search',
            ].filter(shown),
            clipped,
            pageWider: document.documentElement.scrollWidth > document.documentElement.clientWidth,
            steps: document.querySelectorAll('main pre').length,
          };
        });
        expect(layout.chrome, 'screen-only parts visible in print').toEqual([]);
        expect(layout.clipped, 'code cut off at the right edge').toEqual([]);
        expect(layout.pageWider, 'content wider than the paper').toBe(false);
        expect(layout.steps).toBeGreaterThan(0);
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }

      // Dark theme on screen still prints light: paper is white.
      await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.evaluate(() => dispatchEvent(new Event('afterprint')));
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    });
  }
});
