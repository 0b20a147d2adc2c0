// The built site in a real browser (Debian's Chromium through playwright-core):
// every page in the sitemap, search, copy buttons, quizzes, themes, small screens,
// accessibility (axe-core), the home page's routes, verification badges and printing.
//
// The suite builds the site itself when no build of the current inputs exists, so `npm test`
// alone is enough. It builds into .handbook/site-builds/<stamp>/, never dist/, so a concurrent
// `npm run build` or `astro dev` cannot change the pages under test. It is one file on purpose:
// one browser and one page are reused for everything (a Chromium per file would cost more than
// the checks). Without Chromium the suite is skipped and says how to install it; under CI=true
// the first test fails instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium } from '../../../scripts/site/chromium.ts';
import { serveDist, type DistServer } from '../../../scripts/site/serve-dist.ts';
import { PROJECT_ROOT, builtHtml, builtSiteForTests, sitemapPaths } from '../../../scripts/site/built-site.ts';
import { pageShowsSnippets } from '../../../site/lib/verification-badge.ts';

const chromiumPath = findChromium();
// axe-core is injected into the page under test: @axe-core/playwright opens an extra page per
// analysis, which on a page with many code blocks cost 15 s instead of 3 s.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const inCi = process.env.CI === 'true';

test('Chromium is available for the browser tests', (context) => {
  if (!chromiumPath && !inCi) context.skip(`Chromium not found; the browser tests are skipped. Install it: ${CHROMIUM_INSTALL_HINT}`);
  expect(chromiumPath, `CI=true requires Chromium: ${CHROMIUM_INSTALL_HINT}`).toBeDefined();
});

interface PageInfo {
  path: string;
  title: string;
  html: string;
}

// Building happens at collection time because the tests are one per page in the sitemap.
// SITE_DIR=dist tests an existing build instead (e.g. the one `npm run build` just made).
const siteDir = !chromiumPath
  ? ''
  : process.env.SITE_DIR
    ? resolve(process.env.SITE_DIR)
    : await builtSiteForTests((line) => console.log(`[site] ${line}`));
const pages: PageInfo[] = chromiumPath
  ? sitemapPaths(siteDir).map((path) => {
      const html = builtHtml(path, siteDir);
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '';
      const title = h1.replace(/<[^>]+>/g, '').trim() || (/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
      return { path, title, html };
    })
  : [];
const section = (name: string) => pages.filter((page) => page.path.startsWith(`/${name}/`) && page.path !== `/${name}/`);
const runbookPages = section('runbooks');
const quizPages = pages.filter((page) => /\sdata-quiz[\s=>]/.test(page.html));

describe.skipIf(!chromiumPath)('the built site in Chromium', () => {
  let server: DistServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await serveDist({ root: siteDir });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    page = await context.newPage();
    // Generous for a loaded 2-core machine (a 5 s limit failed page.goto there); a page that
    // never loads still fails, with the step that waited.
    page.setDefaultTimeout(30_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page with the light theme and a desktop viewport, and forgets earlier problems. */
  async function open(path: string) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => localStorage.removeItem('starlight-theme')).catch(() => {});
    const response = await page.goto(server.origin + path, { waitUntil: 'load' });
    problems.length = 0;
    return response;
  }

  async function seriousViolations(theme: 'light' | 'dark') {
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
    // Contrast is the only check the theme can change; the rest runs once, in the light theme.
    const violations = await page.evaluate(async (onlyContrast) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const options: import('axe-core').RunOptions = { resultTypes: ['violations'] };
      if (onlyContrast) options.runOnly = ['color-contrast', 'link-in-text-block'];
      const results = await axe.run(document, options);
      return results.violations.map(({ id, impact, help, nodes }) => ({
        id,
        impact,
        help,
        nodes: nodes.map((node) => ({ target: node.target.map(String) })),
      }));
    }, theme === 'dark');
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${theme} theme: ${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
  }

  describe('every page in the sitemap', () => {
    test('the sitemap lists the home page', () => {
      expect(pages.map((info) => info.path)).toContain('/');
    });

    for (const { path } of pages) {
      test(`${path} loads without errors, has no serious accessibility violations in either theme, and fits a 375 px screen`, async () => {
        problems.length = 0;
        const response = await page.goto(server.origin + path, { waitUntil: 'load' });
        expect(response?.status(), 'HTTP status').toBe(200);
        expect.soft([...(await seriousViolations('light')), ...(await seriousViolations('dark'))]).toEqual([]);
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
                element.getBoundingClientRect().right > width + 1 &&
                !element.closest('pre, .expressive-code, table, .sl-sr-only, .sr-only'),
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

  // The links validator checks Markdown links only; this covers every link in the built HTML,
  // including those that components render (hero actions, runbook steps, generated tables).
  test('every internal link on every page leads to a built page, and every #anchor exists there', () => {
    const idsOf = new Map<string, Set<string>>();
    const ids = (path: string) => {
      if (!idsOf.has(path)) idsOf.set(path, new Set([...builtHtml(path, siteDir).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
      return idsOf.get(path)!;
    };
    const broken: string[] = [];
    for (const { path, html } of pages) {
      for (const [, href] of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
        if (!href || /^[a-z]+:/i.test(href) || href.startsWith('//')) continue;
        const url = new URL(href.replace(/&amp;/g, '&'), `http://site${path}`);
        const target = url.pathname;
        const isPage = target.endsWith('/');
        const file = isPage ? join(siteDir, decodeURIComponent(target), 'index.html') : join(siteDir, decodeURIComponent(target));
        if (!existsSync(file)) {
          broken.push(`${path} → ${href} (no such page)`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && isPage && !ids(target).has(fragment)) broken.push(`${path} → ${href} (no #${fragment} there)`);
      }
    }
    expect(broken).toEqual([]);
  });

  describe('home page', () => {
    // The three audiences of docs/index.mdx: developers, on-call, maintainers.
    const routes = [
      { audience: 'a developer starting the migration', name: /guide/i, path: /^\/guide\// },
      { audience: 'an on-call engineer during an incident', name: /incident/i, path: /^\/runbooks\// },
      { audience: 'someone adding or changing the docs', name: /(add|change).*docs/i, path: /^\/reference\// },
    ];
    for (const route of routes) {
      test(`routes ${route.audience} to a real page in one click`, async () => {
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

  describe('search', () => {
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

  describe('copy buttons', () => {
    test('every runbook page offers a command to copy', () => {
      for (const info of runbookPages) {
        expect.soft(info.html.includes('data-code='), `${info.path} has no copyable code block`).toBe(true);
      }
    });

    // Until runbooks exist, the same check runs on any page with code so the machinery stays proven.
    const withCode = runbookPages.length > 0 ? runbookPages : pages.filter((info) => info.html.includes('data-code='));
    for (const { path } of withCode) {
      test(`on ${path}, each copy button puts exactly the command shown on the clipboard`, async () => {
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
          await page.evaluate(() => navigator.clipboard.writeText(''));
          await block.hover();
          await block.locator('.copy button').click();
          await expect
            .poll(() => page.evaluate(() => navigator.clipboard.readText()), { message: `block ${index + 1} on ${path}` })
            .toBe(shown);
        }
      });
    }
  });

  describe('quizzes', () => {
    // Contract with site/components/Quiz.astro: one form[data-quiz] per question, radio choices,
    // a submit button, feedback in [data-feedback] (a live region), data-correct = the right index.
    for (const { path } of quizPages) {
      test(`on ${path}, every quiz question can be answered with the keyboard alone, wrong then right, and explains why`, async () => {
        await open(path);
        const forms = page.locator('form[data-quiz]');
        const count = await forms.count();
        expect(count).toBeGreaterThan(0);
        const focused = () =>
          page.evaluate(() => {
            const element = document.activeElement as HTMLInputElement | null;
            return {
              tag: element?.tagName ?? '',
              type: element?.type ?? '',
              value: element?.value ?? '',
              checked: Boolean(element?.checked),
              submit: Boolean(element?.classList.contains('quiz-submit')),
            };
          });
        /** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element; false after 30 presses. */
        const tabUntil = async (wanted: (state: Awaited<ReturnType<typeof focused>>) => boolean, key = 'Tab') => {
          for (let press = 0; press < 30; press += 1) {
            await page.keyboard.press(key);
            if (wanted(await focused())) return true;
          }
          return false;
        };
        for (let index = 0; index < count; index += 1) {
          const form = forms.nth(index);
          const where = `question ${index + 1} on ${path}`;
          const correct = Number(await form.getAttribute('data-correct'));
          const choices = await form.locator('input[type=radio]').count();
          const explanation = (
            await form
              .locator('template[data-explanation]')
              .evaluate((template) => (template as HTMLTemplateElement).content.textContent ?? '')
          ).trim();
          expect(choices, `${where} has choices`).toBeGreaterThan(1);
          expect(explanation.length, `${where} has an explanation`).toBeGreaterThan(20);
          const wrong = correct === 0 ? 1 : 0;

          // Keyboard only from here: start just before the form, as a reader tabbing down the page would.
          await form.evaluate((element) => {
            const start = document.createElement('button');
            start.dataset.testStart = '';
            start.textContent = 'start';
            element.before(start);
            start.focus();
          });
          for (const [choice, verdict] of [
            [wrong, 'incorrect'],
            [correct, 'correct'],
          ] as const) {
            const inGroup = await tabUntil((state) => state.type === 'radio', verdict === 'incorrect' ? 'Tab' : 'Shift+Tab');
            expect(inGroup, `${where}: Tab reaches the choices`).toBe(true);
            // Arrow keys move through a radio group and select as they go.
            await page.keyboard.press('Space');
            for (let moves = 0; moves < choices && (await focused()).value !== String(choice); moves += 1)
              await page.keyboard.press('ArrowDown');
            expect((await focused()).value, `${where}: arrow keys reach choice ${choice + 1}`).toBe(String(choice));
            expect(await form.locator(`input[type=radio][value="${choice}"]`).isChecked()).toBe(true);
            expect(await tabUntil((state) => state.submit), `${where}: Tab reaches "Check answer"`).toBe(true);
            await page.keyboard.press('Enter');
            const feedback = form.locator('[data-feedback]');
            await expect
              .poll(() => feedback.locator('[data-result]').getAttribute('data-result'), {
                message: `${where}: verdict for choice ${choice + 1}`,
              })
              .toBe(verdict);
            expect(await feedback.innerText(), `${where}: the feedback explains the answer`).toContain(explanation.slice(0, 40));
            expect(await feedback.getAttribute('aria-live'), `${where}: the verdict is announced`).toBe('polite');
          }
          await page.locator('[data-test-start]').evaluate((start) => start.remove());
        }
        expect(problems).toEqual([]);
      });
    }
  });

  describe('themes', () => {
    test('the theme menu switches between dark and light, and the choice survives a reload', async () => {
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

      await page.reload();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

      await page.locator('starlight-theme-select select').first().selectOption('light');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      expect(luminance(await background())).toBeGreaterThan(0.8);
      expect(problems).toEqual([]);
    });
  });

  describe('verification badges', () => {
    const docsDir = join(PROJECT_ROOT, 'site/content/docs');
    const sources = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : /\.mdx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
      );
    })(docsDir);
    const urlOf = (file: string) => {
      const slug = relative(docsDir, file)
        .replace(/\.mdx?$/, '')
        .replace(/(^|\/)index$/, '');
      return slug ? `/${slug.toLowerCase()}/` : '/';
    };

    test('exactly the pages that show snippets carry a badge, naming a real commit', () => {
      for (const file of sources) {
        const path = urlOf(file);
        const info = pages.find((candidate) => candidate.path === path);
        if (!info) continue;
        const body = readFileSync(file, 'utf8');
        const badge = /<p[^>]*data-verification-badge="(\w+)"[^>]*>/.exec(info.html);
        const expected = pageShowsSnippets(body, relative(PROJECT_ROOT, file));
        expect
          .soft(Boolean(badge), `${path} ${expected ? 'shows snippets but has no' : 'shows no snippets but has a'} verification badge`)
          .toBe(expected);
        if (!badge) continue;
        const commit = /data-commit="([0-9a-f]*)"/.exec(badge[0])?.[1] ?? '';
        expect
          .soft(
            () => execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: PROJECT_ROOT, stdio: 'ignore' }),
            `${path} badge commit "${commit}"`,
          )
          .not.toThrow();
        if (badge[1] === 'verified') expect.soft(/data-postgres="\d+/.test(badge[0]), `${path} badge names PostgreSQL versions`).toBe(true);
      }
    });
  });

  describe('printing', () => {
    // Runbooks matter most on paper; until they exist, any page with code proves the print rules.
    const printable = runbookPages.length > 0 ? runbookPages : pages.filter((info) => info.html.includes('<pre')).slice(0, 3);
    for (const { path } of printable) {
      test(`${path} prints without sidebar or header, with every line of code inside the page`, async () => {
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
});
