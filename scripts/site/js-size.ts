// The JavaScript each built page ships, from the built files: its <script src> files, the
// modules they import statically or dynamically (followed through the bundle), and inline scripts. Sizes are raw and
// gzip-compressed (level 9 is not assumed: zlib's default, like most static hosts).
//   npx node scripts/site/js-size.ts [site dir, default dist]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { builtHtml, sitemapPaths } from './built-site.ts';
import { DIST_DIR } from './serve-dist.ts';

export interface PageJs {
  path: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
  inlineBytes: number;
  inlineGzipBytes: number;
}

const gzipped = (text: string | Buffer) => gzipSync(text).length;

/**
 * Files a module can load: static `import "./x.js"` / `from "./x.js"`, and dynamic `import("./x.js")`
 * (Starlight loads the Pagefind search UI that way as soon as the page is idle, so it counts).
 */
function staticImports(source: string): string[] {
  const imports = [...source.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[^'"();]*?\bfrom\s*)?["']([^"']+\.js)["']/g)];
  const dynamic = [...source.matchAll(/\bimport\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)];
  // A computed specifier (`${base}pagefind.js`, the search index) is fetched only when someone searches.
  return [...imports, ...dynamic].map((match) => match[1]!).filter((specifier) => !specifier.includes('${'));
}

export function pageJs(path: string, siteDir = DIST_DIR): PageJs {
  const html = builtHtml(path, siteDir);
  const queue = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!).filter((src) => src.startsWith('/'));
  // Astro hoists small modules inline; their imports point at /_astro/ files too.
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => match[1]!,
  );
  for (const script of inline) queue.push(...staticImports(script).filter((src) => src.startsWith('/')));
  const seen = new Set<string>();
  let bytes = 0;
  let gzipBytes = 0;
  while (queue.length > 0) {
    const src = queue.shift()!;
    if (seen.has(src)) continue;
    seen.add(src);
    const file = join(siteDir, src);
    const source = readFileSync(file);
    bytes += source.length;
    gzipBytes += gzipped(source);
    for (const imported of staticImports(source.toString('utf8'))) {
      queue.push(imported.startsWith('/') ? imported : `/${join(dirname(src), imported).replace(/^\/+/, '')}`);
    }
  }
  const inlineText = inline.join('\n');
  return {
    path,
    files: [...seen],
    bytes,
    gzipBytes,
    inlineBytes: Buffer.byteLength(inlineText),
    inlineGzipBytes: inlineText ? gzipped(inlineText) : 0,
  };
}

if (import.meta.main) {
  const siteDir = resolve(process.argv[2] ?? DIST_DIR);
  const rows = sitemapPaths(siteDir).map((path) => pageJs(path, siteDir));
  console.log(`JavaScript per page in ${siteDir} (bytes; gzip = compressed with zlib's default level)`);
  console.log(
    `${'page'.padEnd(44)} ${'files'.padStart(5)} ${'raw'.padStart(8)} ${'gzip'.padStart(8)} ${'inline'.padStart(7)} ${'inl.gz'.padStart(7)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.path.padEnd(44)} ${String(row.files.length).padStart(5)} ${String(row.bytes).padStart(8)} ${String(row.gzipBytes).padStart(8)} ${String(row.inlineBytes).padStart(7)} ${String(row.inlineGzipBytes).padStart(7)}`,
    );
  }
  const max = rows.reduce((a, b) => (b.gzipBytes + b.inlineGzipBytes > a.gzipBytes + a.inlineGzipBytes ? b : a));
  console.log(`\nHeaviest: ${max.path}, ${max.gzipBytes + max.inlineGzipBytes} bytes gzip in total (files + inline).`);
}
