// What the browser tests and the Lighthouse run need from the built site: a build of
// exactly the current inputs, and the list of its pages.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { DIST_DIR } from './serve-dist.ts';
import { VERIFICATION_FILE } from '../../lib/verification.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

// Re-exported for test/site/browser/site.test.ts until it imports lib/project-root.ts itself.
export { PROJECT_ROOT };

/**
 * What a build cannot depend on. Everything else in the project counts as an input: pages
 * import snippets, runbooks, monitoring and scripts, public/ is copied, and a new input
 * folder must never be missed by a list someone forgot to update. Tests do not feed pages,
 * except the harness, whose code the Testing page shows.
 */
const NOT_INPUTS = new Set(['node_modules', 'dist', '.git', '.handbook', '.astro', 'test', '.github', '.ci']);
const INPUTS_INSIDE_NOT_INPUTS = new Set(['test/harness']);

function hashTree(hash: ReturnType<typeof createHash>, root: string, dir = root): void {
  if (dir === root)
    for (const inside of INPUTS_INSIDE_NOT_INPUTS) if (existsSync(join(root, inside))) hashTree(hash, root, join(root, inside));
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (NOT_INPUTS.has(entry.name) && dir === root) continue;
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, root, path);
    else if (entry.isFile())
      hash
        .update(`${relative(root, path)}\0`)
        .update(readFileSync(path))
        .update('\0');
  }
}

/**
 * A content hash of every input of the build, plus the verification record and the git
 * commit that the badges print. Contents, not modification times: a checkout or a copy
 * resets times, and an edit within the same second must still count.
 */
export function inputsFingerprint(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  hashTree(hash, root);
  const verification = root === PROJECT_ROOT ? VERIFICATION_FILE : join(root, '.handbook', 'verification.json');
  if (existsSync(verification)) hash.update(readFileSync(verification));
  const head = join(root, '.git', 'HEAD');
  if (existsSync(head)) {
    const ref = readFileSync(head, 'utf8').trim();
    hash.update(ref);
    const refFile = ref.startsWith('ref: ') ? join(root, '.git', ref.slice(5)) : '';
    if (refFile && existsSync(refFile)) hash.update(readFileSync(refFile));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Runs `astro build` on the pinned Node. Throws with the build's own output when it fails. */
export async function buildSite(outDir = DIST_DIR): Promise<void> {
  const astro = join(PROJECT_ROOT, 'node_modules/.bin/astro');
  try {
    // Vitest puts its own mode into process.env (NODE_ENV=test, MODE, DEV, PROD, SSR, BASE_URL);
    // passed on, they make Astro build in development mode (the search UI is replaced by a notice).
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' };
    for (const key of ['MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST'])
      delete env[key];
    await promisify(execFile)(join(PROJECT_ROOT, 'node_modules/.bin/node'), [astro, 'build', '--outDir', outDir], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`astro build failed, so the site cannot be tested:\n${tail}`, { cause: error });
  }
}

/**
 * A build of the current inputs for the browser tests, in .handbook/site-builds/<stamp>/.
 * Tests never read dist/: `npm run build` or `astro dev` may rewrite it mid-run. Two test runs
 * at once share a finished build and never see a half-written one (build, then rename).
 */
export async function builtSiteForTests(log: (line: string) => void = () => {}): Promise<string> {
  const builds = join(PROJECT_ROOT, '.handbook', 'site-builds');
  const stamp = inputsFingerprint();
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
  const files = readdirSync(distDir)
    .filter((name) => /^sitemap-\d+\.xml$/.test(name))
    .sort();
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
