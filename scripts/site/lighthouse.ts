// The performance budget: Lighthouse (mobile defaults: emulated phone, simulated slow 4G and
// CPU) on four pages of the built site, served from loopback with gzip like a static host.
// Targets: performance >= 95, accessibility = 100, best practices >= 95. Writes
// .handbook/lighthouse.json (a run's report: no page reads it, so it is not committed), prints a
// table, exits 1 when a target is missed.
//   npm run lighthouse              (builds the site first when its inputs changed)
//   SITE_DIR=dist npm run lighthouse  (an existing build)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL_HINT, findChromium } from './chromium.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { builtHtml, builtSiteForTests, sitemapPaths } from './built-site.ts';
import { pageJs } from './js-size.ts';
import { serveDist } from './serve-dist.ts';

const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 95 } as const;
type Category = keyof typeof TARGETS;

const chromePath = findChromium();
if (!chromePath) {
  console.error(`Chromium not found. Install it: ${CHROMIUM_INSTALL_HINT}`);
  process.exit(2);
}
const started = Date.now();
const siteDir = process.env.SITE_DIR ? resolve(process.env.SITE_DIR) : await builtSiteForTests((line) => console.log(line));
const paths = sitemapPaths(siteDir);
const inSection = (section: string) => paths.filter((path) => path.startsWith(`/${section}/`) && path !== `/${section}/`);
const choose = (label: string, candidates: string[]) => ({ label, path: candidates[0] });
const picks = [
  choose('home', ['/']),
  choose('guide page', inSection('guide')),
  choose('runbook page', [...inSection('runbooks').filter((path) => path === '/runbooks/lock-contention/'), ...inSection('runbooks')]),
  choose(
    'training page with a quiz',
    inSection('training').filter((path) => /\sdata-quiz[\s=>]/.test(builtHtml(path, siteDir))),
  ),
].filter((pick): pick is { label: string; path: string } => pick.path !== undefined);
console.log(
  `Pages (from ${relative(PROJECT_ROOT, siteDir) || '.'}/sitemap-0.xml): ${picks.map((pick) => `${pick.label} ${pick.path}`).join(', ')}`,
);

const server = await serveDist({ root: siteDir });
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
const rows = [];
try {
  for (const pick of picks) {
    const result = await lighthouse(`${server.origin}${pick.path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: Object.keys(TARGETS),
    });
    const lhr = result!.lhr;
    const scores = Object.fromEntries(
      Object.keys(TARGETS).map((key) => [key, Math.round((lhr.categories[key]?.score ?? 0) * 100)]),
    ) as Record<Category, number>;
    const requests =
      (
        lhr.audits['network-requests']?.details as
          { items?: Array<{ url?: string; resourceType?: string; transferSize?: number; resourceSize?: number }> } | undefined
      )?.items ?? [];
    const scripts = requests.filter((item) => item.resourceType === 'Script');
    const js = pageJs(pick.path, siteDir);
    const failed = Object.values(lhr.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
      .map((audit) => audit.id);
    rows.push({
      ...pick,
      scores,
      metrics: {
        firstContentfulPaintMs: Math.round(lhr.audits['first-contentful-paint']?.numericValue ?? 0),
        largestContentfulPaintMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
        totalBlockingTimeMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
        cumulativeLayoutShift: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
      },
      javascript: {
        requests: scripts.length,
        files: scripts.map((item) => `${new URL(item.url ?? '', server.origin).pathname} ${item.transferSize} B`),
        transferBytes: scripts.reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
        resourceBytes: scripts.reduce((sum, item) => sum + (item.resourceSize ?? 0), 0),
        inlineBytes: js.inlineBytes,
        inlineGzipBytes: js.inlineGzipBytes,
      },
      failedAudits: failed,
    });
  }
} finally {
  chrome.kill();
  await server.close();
}

const missed = rows.flatMap((row) =>
  (Object.keys(TARGETS) as Category[])
    .filter((key) => (key === 'accessibility' ? row.scores[key] !== TARGETS[key] : row.scores[key] < TARGETS[key]))
    .map((key) => `${row.path} ${key} ${row.scores[key]} (target ${key === 'accessibility' ? '=' : '>='} ${TARGETS[key]})`),
);
const report = {
  measuredAt: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim(),
  lighthouse: (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version,
  chromium: execFileSync(chromePath, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0],
  settings: 'Lighthouse defaults: mobile emulation, simulated throttling; pages served gzip-compressed from 127.0.0.1',
  targets: TARGETS,
  pages: rows,
  missed,
};
const out = join(PROJECT_ROOT, '.handbook', 'lighthouse.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

console.log(
  `\n${'page'.padEnd(30)} ${'perf'.padStart(5)} ${'a11y'.padStart(5)} ${'b.p.'.padStart(5)} ${'JS reqs'.padStart(8)} ${'JS gzip B'.padStart(10)} ${'JS raw B'.padStart(9)} ${'inline gz'.padStart(10)}`,
);
for (const row of rows) {
  console.log(
    `${row.path.padEnd(30)} ${String(row.scores.performance).padStart(5)} ${String(row.scores.accessibility).padStart(5)} ${String(row.scores['best-practices']).padStart(5)} ${String(row.javascript.requests).padStart(8)} ${String(row.javascript.transferBytes).padStart(10)} ${String(row.javascript.resourceBytes).padStart(9)} ${String(row.javascript.inlineGzipBytes).padStart(10)}`,
  );
}
console.log(
  `\nWrote ${relative(PROJECT_ROOT, out)} in ${Math.round((Date.now() - started) / 1000)} s. JS gzip B = bytes on the wire for script requests (gzip).`,
);
if (missed.length > 0) {
  console.error(`Budget missed:\n  ${missed.join('\n  ')}`);
  for (const row of rows) if (row.failedAudits.length) console.error(`  ${row.path} failing audits: ${row.failedAudits.join(', ')}`);
  process.exit(1);
}
console.log('All pages within budget.');
