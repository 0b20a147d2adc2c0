// Themes in Chromium: the theme menu switches between dark and light, and the choice survives
// a reload.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, testChromiumIsAvailable, useSitePage } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('themes', () => {
  const site = useSitePage();

  test('the theme menu switches between dark and light, and the choice survives a reload', async () => {
    const { page, problems, open } = site;
    const docPage = pages.find((info) => info.path !== '/')?.path ?? '/';
    await open(docPage);
    const select = page.locator('starlight-theme-select select').first();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    };

    await select.selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(luminance(await background())).toBeLessThan(0.3);

    // A reload aborts whatever the page is still fetching (Starlight loads some modules after
    // 'load'), which the problem collector would report as a failed request: let it finish first.
    await page.waitForLoadState('networkidle');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await page.locator('starlight-theme-select select').first().selectOption('light');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(luminance(await background())).toBeGreaterThan(0.8);
    expect(problems).toEqual([]);
  });
});
