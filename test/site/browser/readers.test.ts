// The built site as its readers use it, in Debian's Chromium through playwright-core:
// on-call on a phone (the runbook box, two taps from the home page to a copied command, the
// sidebar), tables that fit or say that they scroll, charts readable at every width and in both
// themes, search results that name their section, and the generated llms.txt.
//
// Like the other browser tests it tests a build of the current inputs (.handbook/site-builds/, or
// SITE_DIR=dist) in the site layer's one Chromium, set up by ./chromium-site.ts; it is skipped
// without Chromium (saying how to install it) and fails under CI=true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { builtHtml } from '../../../scripts/site/built-site.ts';
import { RUNBOOKS } from '../../../runbooks/steps/index.ts';
import { ALERT_RULES } from '../../../monitoring/alert-rules.ts';
import { SITE_ADDRESS } from '../../../lib/site-address.ts';
import { hasChromium, pages, siteDir, testChromiumIsAvailable, useSiteInChromium, withClipboard } from './chromium-site.ts';

testChromiumIsAvailable('Chromium is available for the reader tests');

const paths = pages.map((info) => info.path);
const runbookPaths = paths.filter((path) => /^\/runbooks\/[^/]+\/$/.test(path));
const chartPaths = paths.filter((path) => builtHtml(path, siteDir).includes('class="bench-chart'));
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe.skipIf(!hasChromium)('the site as its readers use it', () => {
  const site = useSiteInChromium();
  let phone: BrowserContext;
  let desktop: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // A phone: touch, no hover (copy buttons must show without it), 375 × 812.
    phone = await site.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    desktop = await site.newContext({ viewport: DESKTOP });
    page = await desktop.newPage();
    // Generous for a loaded 2-core machine (a 5 s limit failed page.goto there); a page that
    // never loads still fails, with the step that waited.
    page.setDefaultTimeout(30_000);
  });

  describe('on-call on a phone', () => {
    test('runbook pages exist to test', () => {
      expect(runbookPaths.length).toBeGreaterThanOrEqual(Object.keys(RUNBOOKS).length);
    });

    for (const path of runbookPaths) {
      const slug = path.split('/')[2]!;
      test(`${path} opens, at 375 × 812, with its alerts and severities, the diagnosis and fix commands each with a copy button, and escalation links, without scrolling`, async () => {
        const tab = await phone.newPage();
        try {
          await tab.goto(site.origin + path, { waitUntil: 'load' });
          const box = tab.locator('main .runbook-box');
          await expect.poll(() => box.count(), { timeout: 15_000 }).toBe(1);
          const inFirstScreen = (selector: string) =>
            box
              .locator(selector)
              .first()
              .evaluate((element, height) => {
                const rect = element.getBoundingClientRect();
                const style = getComputedStyle(element);
                return (
                  rect.top >= 0 && rect.bottom <= height && rect.width > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0.3
                );
              }, PHONE.height);

          const text = await box.innerText();
          for (const rule of ALERT_RULES.filter((candidate) => candidate.runbook === path)) {
            expect.soft(text, `${path}: alert ${rule.name} and its severity`).toMatch(new RegExp(`${rule.severity}\\s+${rule.name}`));
          }
          expect.soft(await inFirstScreen('a[href="/support/support-tiers/"]'), 'escalation link in the first screen').toBe(true);
          expect
            .soft(await inFirstScreen('a[href="/support/communication-templates/"]'), 'message templates link in the first screen')
            .toBe(true);

          // A procedure page (no script in runbooks/steps/index.ts) has links and alerts, no commands.
          const expected = RUNBOOKS[slug] ? [`npx zx runbooks/${slug}.ts`] : [];
          if (RUNBOOKS[slug]?.steps.some((step) => step.kind === 'write')) expected.push(`npx zx runbooks/${slug}.ts --execute`);
          const blocks = box.locator('.expressive-code');
          expect(await blocks.count()).toBe(expected.length);
          for (const [index, command] of expected.entries()) {
            const button = blocks.nth(index).locator('.copy button');
            expect(
              await button.evaluate((element, height) => {
                const rect = element.getBoundingClientRect();
                return rect.top >= 0 && rect.bottom <= height && Number(getComputedStyle(element).opacity) > 0.3;
              }, PHONE.height),
              `${path}: copy button for "${command}" visible in the first screen`,
            ).toBe(true);
            await withClipboard(async () => {
              await tab.evaluate(() => navigator.clipboard.writeText(''));
              await button.tap();
              await expect.poll(() => tab.evaluate(() => navigator.clipboard.readText())).toBe(command);
            });
          }
          expect(await tab.evaluate(() => scrollY), 'nothing scrolled').toBe(0);
        } finally {
          await tab.close();
        }
      });
    }

    test('every shell block on a runbook page holds one command, names no made-up host, and never wraps inside a word at 375 px', async () => {
      const tab = await phone.newPage();
      try {
        for (const path of runbookPaths) {
          await tab.goto(site.origin + path, { waitUntil: 'load' });
          const found = await tab.evaluate(() => {
            const blocks = [...document.querySelectorAll<HTMLElement>('main .expressive-code')].filter((block) =>
              block.querySelector('pre[data-language="sh"]'),
            );
            return blocks.map((block) => {
              const code = block.querySelector<HTMLButtonElement>('.copy button')?.dataset.code ?? '';
              // Lines ending in a backslash continue one command, and a here-document's body belongs
              // to the command that opened it; comments and blank lines are not commands.
              let commands = 0;
              let continuing = false;
              let heredoc: string | undefined;
              for (const raw of code.split(/[\n\u007f]/)) {
                const line = raw.trim();
                if (heredoc) {
                  if (line === heredoc) heredoc = undefined;
                  continue;
                }
                if (!line || line.startsWith('#')) continue;
                if (!continuing) commands++;
                heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(line)?.[1];
                continuing = line.endsWith('\\');
              }
              const split = [...block.querySelectorAll<HTMLElement>('.ec-word')]
                .filter((word) => word.getClientRects().length > 1)
                .map((word) => word.textContent);
              return { code, commands, split };
            });
          });
          for (const block of found) {
            expect.soft(block.commands, `${path}: one command per copy block: ${JSON.stringify(block.code)}`).toBe(1);
            expect.soft(block.code, `${path}: no placeholder host`).not.toMatch(/example\b/);
            expect.soft(block.split, `${path}: words broken across lines`).toEqual([]);
          }
        }
      } finally {
        await tab.close();
      }
    });

    test('from the home page to a copied diagnosis command takes two taps and no scrolling on a phone', async () => {
      const tab = await phone.newPage();
      try {
        await tab.goto(`${site.origin}/`, { waitUntil: 'load' });
        const link = tab.locator('a[href="/runbooks/lock-contention/"]').first();
        expect(
          await link.evaluate((element, height) => element.getBoundingClientRect().bottom <= height, PHONE.height),
          'runbook link in the first screen',
        ).toBe(true);
        await Promise.all([tab.waitForURL('**/runbooks/lock-contention/'), link.tap()]); // tap 1
        await withClipboard(async () => {
          await tab.evaluate(() => navigator.clipboard.writeText(''));
          await tab.locator('main .runbook-box .expressive-code .copy button').first().tap(); // tap 2
          await expect.poll(() => tab.evaluate(() => navigator.clipboard.readText())).toBe('npx zx runbooks/lock-contention.ts');
        });
        expect(await tab.evaluate(() => scrollY)).toBe(0);
      } finally {
        await tab.close();
      }
    });

    test('on a runbook page the sidebar shows the runbooks with the current one on screen, other groups collapsed', async () => {
      await page.goto(`${site.origin}/runbooks/vacuum-bloat/`, { waitUntil: 'load' });
      const state = await page.evaluate(() => {
        const current = document.querySelector<HTMLElement>('nav.sidebar a[aria-current="page"]');
        const rect = current?.getBoundingClientRect();
        const groups = [...document.querySelectorAll<HTMLDetailsElement>('nav.sidebar details')].map((details) => ({
          label: details.querySelector('summary')?.textContent?.trim() ?? '',
          open: details.open,
        }));
        return { onScreen: Boolean(rect && rect.top >= 0 && rect.bottom <= innerHeight), groups };
      });
      expect(state.onScreen).toBe(true);
      expect(state.groups.filter((group) => group.open).map((group) => group.label)).toEqual(['Runbooks']);
    });
  });

  describe('tables', () => {
    for (const viewport of [DESKTOP, PHONE]) {
      test(`at ${viewport.width} px every table fits its column${viewport === PHONE ? ', or shows that it scrolls sideways' : ''}, identifiers in cells are never broken, and no two scroll regions share a name`, async () => {
        await page.setViewportSize(viewport);
        const problems: string[] = [];
        try {
          for (const path of paths) {
            await page.goto(site.origin + path, { waitUntil: 'load' });
            await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
            const tables = await page.evaluate(() =>
              [...document.querySelectorAll<HTMLElement>('main table')]
                .filter((table) => table.getClientRects().length > 0)
                .map((table) => {
                  const region = table.closest<HTMLElement>('.table-scroll');
                  const cue = region?.parentElement?.querySelector<HTMLElement>('.table-scroll-cue');
                  return {
                    head: (table.querySelector('tr')?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40),
                    width: table.getBoundingClientRect().width,
                    column: region?.clientWidth ?? 0,
                    cue: Boolean(cue && cue.getClientRects().length > 0 && region?.hasAttribute('data-overflowing')),
                    broken: [...table.querySelectorAll('.code-token')]
                      .filter((token) => token.getClientRects().length > 1)
                      .map((token) => token.textContent),
                  };
                }),
            );
            // Tables on the page are named by the Markdown plugin, those of components by the
            // component (site/lib/table-scroll.ts): two regions with one name are indistinguishable
            // in a screen reader's list of landmarks.
            const names = await page.evaluate(() =>
              [...document.querySelectorAll('main [role="region"][aria-label]')].map((region) => region.getAttribute('aria-label')),
            );
            for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index)))
              problems.push(`${path}: more than one scroll region is named "${name}"`);
            for (const table of tables) {
              const tooWide = table.width > table.column + 1;
              if (tooWide && (viewport === DESKTOP || !table.cue))
                problems.push(
                  `${path} "${table.head}": ${Math.round(table.width)} px in a ${table.column} px column${table.cue ? '' : ', no scroll cue'}`,
                );
              if (table.broken.length > 0)
                problems.push(`${path} "${table.head}": identifiers broken across lines: ${table.broken.join(', ')}`);
            }
          }
        } finally {
          await page.setViewportSize(DESKTOP);
        }
        expect(problems).toEqual([]);
      }, 120_000);
    }
  });

  describe('charts', () => {
    test('pages with charts exist to test', () => {
      expect(chartPaths.length).toBeGreaterThan(0);
    });

    for (const path of chartPaths) {
      test(`on ${path}, chart text is at least 12 px and unclipped, bars contrast 3:1 in both themes, each chart has one unit, a legend and labelled ticks`, async () => {
        const problems: string[] = [];
        try {
          for (const viewport of [PHONE, DESKTOP]) {
            await page.setViewportSize(viewport);
            await page.goto(site.origin + path, { waitUntil: 'load' });
            for (const theme of ['light', 'dark']) {
              await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
              const charts = await page.evaluate(() => {
                const background = getComputedStyle(document.body).backgroundColor;
                return [...document.querySelectorAll<SVGSVGElement>('main .bench-chart svg')]
                  .filter((svg) => svg.getClientRects().length > 0)
                  .map((svg) => {
                    const box = svg.getBoundingClientRect();
                    const scale = box.width / svg.viewBox.baseVal.width;
                    const texts = [...svg.querySelectorAll<SVGTextElement>('text')];
                    const values = texts.filter((text) => text.classList.contains('value')).map((text) => text.textContent ?? '');
                    return {
                      title: svg.querySelector('title')?.textContent ?? '',
                      background,
                      smallest: Math.min(...texts.map((text) => parseFloat(getComputedStyle(text).fontSize) * scale)),
                      clipped: texts
                        .filter((text) => {
                          const rect = text.getBoundingClientRect();
                          return (
                            rect.left < box.left - 1 || rect.right > box.right + 1 || rect.top < box.top - 1 || rect.bottom > box.bottom + 1
                          );
                        })
                        .map((text) => text.textContent),
                      fills: [...new Set([...svg.querySelectorAll('rect.series')].map((rect) => getComputedStyle(rect).fill))],
                      legend: svg.querySelectorAll('.legend text').length,
                      series: new Set([...svg.querySelectorAll('rect.series')].map((rect) => rect.getAttribute('class'))).size,
                      units: [...new Set(values.map((value) => /[\d.,]+\s+(\S+)/.exec(value)?.[1] ?? ''))],
                      ticks: svg.querySelectorAll('.tick text').length,
                    };
                  });
              });
              if (charts.length === 0) problems.push(`${viewport.width} px: no chart visible`);
              for (const chart of charts) {
                const where = `${viewport.width} px, ${theme}: "${chart.title}"`;
                if (chart.smallest < 12) problems.push(`${where}: text at ${chart.smallest.toFixed(1)} px`);
                if (chart.clipped.length > 0) problems.push(`${where}: clipped ${chart.clipped.join(', ')}`);
                for (const fill of chart.fills)
                  if (contrast(fill, chart.background) < 3)
                    problems.push(`${where}: bar ${fill} at ${contrast(fill, chart.background).toFixed(2)}:1`);
                if (chart.legend !== chart.series) problems.push(`${where}: ${chart.legend} legend entries for ${chart.series} series`);
                if (chart.units.length !== 1) problems.push(`${where}: units ${chart.units.join(', ')}`);
                if (chart.ticks < 2) problems.push(`${where}: ${chart.ticks} labelled ticks`);
              }
            }
          }
        } finally {
          await page.setViewportSize(DESKTOP);
        }
        expect(problems).toEqual([]);
      }, 60_000);
    }

    test('no SVG text anywhere on the site renders below 12 px at 375 or 1280 px', async () => {
      const problems: string[] = [];
      try {
        for (const viewport of [PHONE, DESKTOP]) {
          await page.setViewportSize(viewport);
          for (const path of paths.filter((candidate) => builtHtml(candidate, siteDir).includes('<text'))) {
            await page.goto(site.origin + path, { waitUntil: 'load' });
            const smallest = await page.evaluate(
              () =>
                [...document.querySelectorAll<SVGTextElement>('main svg text')]
                  .filter((text) => text.getClientRects().length > 0)
                  .map((text) => {
                    const svg = text.ownerSVGElement!;
                    return {
                      size: (parseFloat(getComputedStyle(text).fontSize) * svg.getBoundingClientRect().width) / svg.viewBox.baseVal.width,
                      text: text.textContent,
                    };
                  })
                  .sort((a, b) => a.size - b.size)[0],
            );
            if (smallest && smallest.size < 11.95)
              problems.push(`${path} at ${viewport.width} px: "${smallest.text}" at ${smallest.size.toFixed(1)} px`);
          }
        }
      } finally {
        await page.setViewportSize(DESKTOP);
      }
      expect(problems).toEqual([]);
    }, 120_000);
  });

  describe('quizzes', () => {
    test('a wrong answer is told why that choice is wrong, then why the right one is right', async () => {
      const quizPath = paths.find((path) => builtHtml(path, siteDir).includes('data-why='));
      expect(quizPath, 'a page with a quiz').toBeDefined();
      await page.goto(site.origin + quizPath!, { waitUntil: 'load' });
      const form = page.locator('form[data-quiz]').first();
      const correct = Number(await form.getAttribute('data-correct'));
      const wrong = correct === 0 ? 1 : 0;
      const why = await form
        .locator(`template[data-why="${wrong}"]`)
        .evaluate((template) => (template as HTMLTemplateElement).content.textContent ?? '');
      expect(why.length).toBeGreaterThan(20);
      await form.locator(`input[type=radio][value="${wrong}"]`).check();
      await form.locator('.quiz-submit').click();
      const feedback = await form.locator('[data-feedback]').innerText();
      expect(feedback).toContain(why);
      expect(feedback.indexOf(why)).toBeLessThan(feedback.length - why.length);
    });
  });

  describe('finding things', () => {
    test('search results name their section', async () => {
      await page.goto(`${site.origin}/`, { waitUntil: 'load' });
      await page.locator('button[data-open-modal]').click();
      await page.locator('#starlight__search input').pressSequentially('lock contention', { delay: 20 });
      // Top-level results only; nested ones are the headings inside a page.
      const titles = page.locator('.pagefind-ui__result-inner > .pagefind-ui__result-title a.pagefind-ui__result-link');
      await titles.first().waitFor({ timeout: 30_000 });
      const texts = await titles.allInnerTexts();
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).toMatch(/^(Runbook|Guide|Training|Support|Reference) · /);
      expect(texts).toContain('Runbook · Lock contention');
    });

    test('llms.txt lists the handbook for an AI assistant, at the configured site address', () => {
      const llms = readFileSync(join(siteDir, 'llms.txt'), 'utf8');
      expect(llms).toMatch(/^# The Migration Handbook/);
      expect(llms).toContain(`${SITE_ADDRESS}/llms-full.txt`);
      const full = readFileSync(join(siteDir, 'llms-full.txt'), 'utf8');
      for (const slug of Object.keys(RUNBOOKS)) expect(full, `llms-full.txt has the ${slug} runbook`).toContain(RUNBOOKS[slug]!.title);
    });

    test('the sitemap and canonical links use the one configured site address', () => {
      const sitemap = readFileSync(join(siteDir, 'sitemap-0.xml'), 'utf8');
      const locations = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]!);
      expect(locations.length).toBeGreaterThan(0);
      for (const location of locations) expect(location.startsWith(`${SITE_ADDRESS}/`)).toBe(true);
      expect(builtHtml('/runbooks/lock-contention/', siteDir)).toContain(
        `<link rel="canonical" href="${SITE_ADDRESS}/runbooks/lock-contention/"`,
      );
    });

    test('a page says when it was last updated', () => {
      expect(builtHtml('/guide/setting-up-kysely/', siteDir)).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}/);
    });
  });
});
