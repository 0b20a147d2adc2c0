// What the browser tests (test/site/browser/*.test.ts) share: the site build under test and its
// pages, the one Chromium of the site layer (started by test/site/global-setup.ts, connected to
// here), a server for the build, a page that collects what goes wrong on it, and axe-core.
//
// The build is ready when a file is collected, because there is a test per page in the sitemap.
// builtSiteForTests reuses a build of the current inputs from .handbook/site-builds/ or makes one
// (once, however many files or runs ask at once), never in dist/, so a concurrent `npm run build`
// or `astro dev` cannot change the pages under test. SITE_DIR=dist tests an existing build instead
// (e.g. the one `npm run build` just made). Without Chromium nothing is built and the browser tests
// are skipped, saying how to install it; under CI=true they fail instead.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM_INSTALL_HINT, findChromium } from '../../../scripts/site/chromium.ts';
import { serveDist, type DistServer } from '../../../scripts/site/serve-dist.ts';
import { builtHtml, builtSiteForTests, sitemapPaths } from '../../../scripts/site/built-site.ts';
import { tryLock } from '../../../lib/file-lock.ts';

// Looked up the way the global setup looks it up.
const chromiumPath = findChromium();
export const hasChromium = chromiumPath !== undefined;
const inCi = process.env.CI === 'true';

/**
 * The test that Chromium is there: without it, skipped with the install command, or failed under
 * CI=true. pages.test.ts and readers.test.ts declare it always; the other files only when Chromium
 * is missing, so each of them still says why it ran nothing (or fails in CI) while a run with
 * Chromium has one passing check for the browser tests instead of one per file.
 */
export function testChromiumIsAvailable(name = 'Chromium is available for the browser tests'): void {
  test(name, (context) => {
    if (!chromiumPath && !inCi) context.skip(`Chromium not found; the browser tests are skipped. Install it: ${CHROMIUM_INSTALL_HINT}`);
    expect(chromiumPath, `CI=true requires Chromium: ${CHROMIUM_INSTALL_HINT}`).toBeDefined();
  });
}

export interface PageInfo {
  path: string;
  title: string;
  html: string;
}

/** The folder of the build under test ('' without Chromium). */
export const siteDir = !hasChromium
  ? ''
  : process.env.SITE_DIR
    ? resolve(process.env.SITE_DIR)
    : await builtSiteForTests((line) => console.log(`[site] ${line}`));

/** Every page in the sitemap, in its order, with its title (the h1, else <title>) and its built HTML. */
export const pages: PageInfo[] = hasChromium
  ? sitemapPaths(siteDir).map((path) => {
      const html = builtHtml(path, siteDir);
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '';
      const title = h1.replace(/<[^>]+>/g, '').trim() || (/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
      return { path, title, html };
    })
  : [];

/** The pages under /runbooks/, without the section's own index. */
export const runbookPages = pages.filter((page) => page.path.startsWith('/runbooks/') && page.path !== '/runbooks/');

export interface SiteInChromium {
  /** Where the build is served, e.g. http://127.0.0.1:40123. */
  readonly origin: string;
  /** A new browser context (a profile of its own) in the shared Chromium, allowed to use the clipboard on the site. */
  newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
}

/**
 * For the tests of the describe that calls it: before them, the build served on 127.0.0.1 and a
 * connection to the shared Chromium; after them, both closed, with every context opened through it.
 */
export function useSiteInChromium(): SiteInChromium {
  let server: DistServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveDist({ root: siteDir });
    const endpoint = inject('chromiumEndpoint');
    if (!endpoint)
      throw new Error(
        inject('chromiumLaunchError') ??
          'no shared Chromium: the site layer starts one in test/site/global-setup.ts; run the browser tests with vitest.config.ts',
      );
    browser = await chromium.connect(endpoint);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get origin() {
      return started(server).origin;
    },
    newContext: async (options) => {
      const context = await started(browser).newContext(options);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: started(server).origin });
      return context;
    },
  };
}

export interface SitePage {
  /** One page in the light theme at 1280 × 800, reused by the describe's tests. */
  readonly page: Page;
  readonly origin: string;
  /** What went wrong since it was last emptied: console errors, uncaught exceptions, failed requests, HTTP 4xx/5xx. */
  readonly problems: string[];
  /** Opens a page with the light theme and a desktop viewport, and forgets earlier problems. */
  open: (path: string) => ReturnType<Page['goto']>;
}

/** A page for the tests of the describe that calls it, in a context of its own (see useSiteInChromium). */
export function useSitePage(): SitePage {
  const site = useSiteInChromium();
  const problems: string[] = [];
  let page: Page | undefined;
  beforeAll(async () => {
    const context = await site.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const opened = await context.newPage();
    // Generous for a loaded 2-core machine (a 5 s limit failed page.goto there); a page that
    // never loads still fails, with the step that waited.
    opened.setDefaultTimeout(30_000);
    opened.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    opened.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    opened.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
    opened.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page = opened;
  });
  return {
    get page() {
      return started(page);
    },
    get origin() {
      return site.origin;
    },
    problems,
    open: async (path) => {
      const current = started(page);
      await current.setViewportSize({ width: 1280, height: 800 });
      await current.evaluate(() => localStorage.removeItem('starlight-theme')).catch(() => {});
      const response = await current.goto(site.origin + path, { waitUntil: 'load' });
      problems.length = 0;
      return response;
    },
  };
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the browser and the server start in beforeAll: use them inside a test or a hook');
  return value;
}

// axe-core is injected into the page under test: @axe-core/playwright opens an extra page per
// analysis, which on a page with many code blocks cost 15 s instead of 3 s.
let axeSource: string | undefined;

/** axe-core's serious and critical violations on the open page in `theme`, one line each. */
export async function seriousViolations(page: Page, theme: 'light' | 'dark'): Promise<string[]> {
  await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
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

/**
 * Runs `use` (clear the clipboard, press a copy button, read the clipboard) while no other test
 * file of this run does the same. The clipboard belongs to the browser, not to a context, and the
 * layer runs two files at once in one Chromium: without this, one file read the empty text the
 * other had just written. The lock is a file named after this run's Chromium, so runs never share it.
 */
export async function withClipboard<T>(use: () => Promise<T>): Promise<T> {
  const browser = createHash('sha256')
    .update(inject('chromiumEndpoint') ?? '')
    .digest('hex')
    .slice(0, 16);
  const lock = join(tmpdir(), `handbook-clipboard-${browser}.lock`);
  const deadline = Date.now() + 60_000;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) throw new Error(`another test file held the clipboard for 60 s (${lock})`);
    await sleep(10);
  }
  try {
    return await use();
  } finally {
    rmSync(lock, { force: true });
  }
}
