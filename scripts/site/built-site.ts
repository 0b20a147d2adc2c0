// What the browser tests and the Lighthouse run need from the built site: a fresh
// build (rebuilt when any input is newer than it) and the list of its pages.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DIST_DIR } from './serve-dist.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Everything a page can be built from. Evidence and snippets render into pages, so they count. */
const INPUTS = ['site', 'snippets', 'runbooks', 'astro.config.mjs', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The newest modification time among the site's inputs. */
export function newestInput(): number {
  return Math.max(...INPUTS.map((input) => newestMtime(join(PROJECT_ROOT, input))));
}

/** Why dist/ must be rebuilt, or undefined when it is newer than every input. */
export function whyStale(outDir = DIST_DIR): string | undefined {
  const marker = join(outDir, 'sitemap-0.xml');
  if (!existsSync(marker)) return `${relative(PROJECT_ROOT, outDir)}/ has no sitemap-0.xml (never built, or the last build failed)`;
  const builtAt = statSync(marker).mtimeMs;
  for (const input of INPUTS) {
    if (newestMtime(join(PROJECT_ROOT, input)) > builtAt) return `${input} changed after the last build`;
  }
  return undefined;
}

/** Runs `astro build` on the pinned Node. Throws with the build's own output when it fails. */
export async function buildSite(outDir = DIST_DIR): Promise<void> {
  const astro = join(PROJECT_ROOT, 'node_modules/.bin/astro');
  try {
    // Vitest puts its own mode into process.env (NODE_ENV=test, MODE, DEV, PROD, SSR, BASE_URL);
    // passed on, they make Astro build in development mode (the search UI is replaced by a notice).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' };
    for (const key of ['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST']) delete env[key];
    await promisify(execFile)(join(PROJECT_ROOT, 'node_modules/.bin/node'), [astro, 'build', '--outDir', outDir], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`astro build failed, so the site cannot be tested:\n${tail}`);
  }
}

/** Builds dist/ unless it is up to date (for `npm run lighthouse`). */
export async function ensureBuiltSite(log: (line: string) => void = () => {}): Promise<void> {
  const reason = whyStale();
  if (!reason) return;
  log(`Building the site: ${reason}`);
  await buildSite();
}

/**
 * A build of the current inputs for the browser tests, in .handbook/site-builds/<stamp>/.
 * Tests never read dist/: `npm run build` or `astro dev` may rewrite it mid-run. Two test runs
 * at once share a finished build and never see a half-written one (build, then rename).
 */
export async function builtSiteForTests(log: (line: string) => void = () => {}): Promise<string> {
  const builds = join(PROJECT_ROOT, '.handbook', 'site-builds');
  const stamp = Math.floor(newestInput()).toString(36);
  const outDir = join(builds, stamp);
  if (existsSync(join(outDir, 'sitemap-0.xml'))) return outDir;
  log(`Building the site for the browser tests into ${relative(PROJECT_ROOT, outDir)}/ (inputs changed since the last test build)`);
  const partial = `${outDir}.building-${process.pid}`;
  await buildSite(partial);
  try {
    renameSync(partial, outDir);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another run finished the same build first
  }
  // Older builds are dropped once no run can still be serving them.
  for (const entry of readdirSync(builds)) {
    const path = join(builds, entry);
    if (path !== outDir && Date.now() - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
  }
  return outDir;
}

/** Page paths ("/", "/guide/why/") listed in the built sitemap, in sitemap order. */
export function sitemapPaths(distDir = DIST_DIR): string[] {
  const files = readdirSync(distDir).filter((name) => /^sitemap-\d+\.xml$/.test(name)).sort();
  const paths: string[] = [];
  for (const file of files) {
    const xml = readFileSync(join(distDir, file), 'utf8');
    for (const [, loc] of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) paths.push(new URL(loc!).pathname);
  }
  if (paths.length === 0) throw new Error(`no pages found in ${distDir}/sitemap-*.xml`);
  return paths;
}

/** The built HTML of a page path. */
export function builtHtml(path: string, distDir = DIST_DIR): string {
  return readFileSync(join(distDir, decodeURIComponent(path), 'index.html'), 'utf8');
}
