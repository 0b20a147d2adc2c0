// What the browser tests and the Lighthouse run need from the built site:
// a fresh dist/ (rebuilt when any input is newer) and the list of its pages.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Why dist/ must be rebuilt, or undefined when it is newer than every input. */
export function whyStale(): string | undefined {
  const marker = join(DIST_DIR, 'sitemap-0.xml');
  if (!existsSync(marker)) return 'dist/ has no sitemap-0.xml (never built, or the last build failed)';
  const builtAt = statSync(marker).mtimeMs;
  for (const input of INPUTS) {
    if (newestMtime(join(PROJECT_ROOT, input)) > builtAt) return `${input} changed after the last build`;
  }
  return undefined;
}

/** Builds the site unless dist/ is up to date. Throws with the build's own output when it fails. */
export async function ensureBuiltSite(log: (line: string) => void = () => {}): Promise<void> {
  const reason = whyStale();
  if (!reason) return;
  log(`Building the site: ${reason}`);
  const astro = join(PROJECT_ROOT, 'node_modules/.bin/astro');
  try {
    // Through the pinned Node, like `npm run build`.
    await promisify(execFile)(join(PROJECT_ROOT, 'node_modules/.bin/node'), [astro, 'build'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`npm run build failed, so the site cannot be tested:\n${tail}`);
  }
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
