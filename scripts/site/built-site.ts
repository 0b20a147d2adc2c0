// What the browser tests and the Lighthouse run need from the built site: a build of
// exactly the current inputs, and the list of its pages.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { DIST_DIR } from './serve-dist.ts';
import { VERIFICATION_FILE } from '../../lib/verification.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { lockHolder, tryLock } from '../../lib/file-lock.ts';
import { isAlive } from '../../lib/process-alive.ts';

/**
 * What a build cannot depend on: top-level folders of the project. Everything else counts as an
 * input: pages import snippets, runbooks, monitoring and scripts, public/ is copied, and a new
 * input folder must never be missed by a list someone forgot to update.
 */
const NOT_INPUTS = new Set(['node_modules', 'dist', '.git', '.handbook', '.astro', '.github', '.ci']);

/** Whether a path (relative to the project root) can feed a page. Of test/, only the harness can: the Testing page shows it. */
function isInput(path: string): boolean {
  const [top = '', ...inside] = path.split(sep);
  if (NOT_INPUTS.has(top) || inside.includes('node_modules')) return false;
  return top !== 'test' || inside.length === 0 || inside[0] === 'harness';
}

function hashTree(hash: ReturnType<typeof createHash>, root: string, dir = root): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (!isInput(relative(root, path))) continue;
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
 * Tests never read dist/: `npm run build` or `astro dev` may rewrite it mid-run. Every browser test
 * file asks for it when it is collected; callers at once, in one run or in two, share one build.
 */
export async function builtSiteForTests(log: (line: string) => void = () => {}): Promise<string> {
  const builds = join(PROJECT_ROOT, '.handbook', 'site-builds');
  const outDir = join(builds, inputsFingerprint());
  const where = `${relative(PROJECT_ROOT, outDir)}/`;
  const built = await buildOnce(
    outDir,
    (into) => {
      log(`Building the site for the browser tests into ${where} (inputs changed since the last test build)`);
      return buildSite(into);
    },
    { onWait: (holder) => log(`Waiting for the build into ${where} that process ${holder} is making`) },
  );
  // Older builds are dropped once no run can still be serving them.
  if (built)
    for (const entry of readdirSync(builds)) {
      const path = join(builds, entry);
      if (path !== outDir && Date.now() - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
    }
  return outDir;
}

/**
 * Makes `outDir` with `build` once, however many callers ask at once, in this process or in others.
 * The first takes a lock (`<outDir>.lock`, holding its pid) and builds into a side folder that it
 * renames to `outDir` when done, so nobody sees a half-written build; the others wait until
 * `outDir` exists, or until the lock is gone (a failed build releases it, and the next caller
 * tries itself). A lock whose process is no longer running (killed mid-build) is taken over.
 * Resolves to true for the caller that built.
 */
export async function buildOnce(
  outDir: string,
  build: (into: string) => Promise<void>,
  options: { pollMs?: number; onWait?: (holder: number) => void } = {},
): Promise<boolean> {
  const { pollMs = 250, onWait } = options;
  const lock = `${outDir}.lock`;
  mkdirSync(dirname(outDir), { recursive: true });
  let waited = false;
  for (;;) {
    if (existsSync(outDir)) return false;
    if (tryLock(lock)) break;
    const holder = lockHolder(lock);
    if (holder !== undefined && !isAlive(holder)) {
      if (removeStaleLock(lock, holder)) continue;
    } else if (holder !== undefined && !waited) {
      waited = true;
      onWait?.(holder);
    }
    await new Promise((done) => setTimeout(done, pollMs));
  }
  try {
    if (existsSync(outDir)) return false; // the holder we waited for finished just before we took the lock
    const partial = `${outDir}.building-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      await build(partial);
      renameSync(partial, outDir);
    } finally {
      rmSync(partial, { recursive: true, force: true }); // still there only when the build failed
    }
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Removes a lock left by a process that died. Two waiters may find the same dead holder; only the
 * one that creates `<lock>.takeover-<pid>` removes the lock, and only while it still names that pid,
 * so a lock that the other waiter took meanwhile is never removed. True when it removed the lock.
 */
function removeStaleLock(lock: string, deadHolder: number): boolean {
  const claim = `${lock}.takeover-${deadHolder}`;
  try {
    writeFileSync(claim, String(process.pid), { flag: 'wx' });
  } catch {
    return false; // another waiter is taking it over
  }
  try {
    if (lockHolder(lock) !== deadHolder) return false;
    rmSync(lock, { force: true });
    return true;
  } finally {
    rmSync(claim, { force: true });
  }
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
