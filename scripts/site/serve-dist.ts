// Serves the built site (dist/) on loopback, the way a static host would:
// directory URLs resolve to index.html, unknown paths get dist/404.html with a
// 404 status, text is gzip-compressed, and hashed assets under /_astro/ are
// cacheable for a year. Used by the browser tests and the Lighthouse run.
//   npx node scripts/site/serve-dist.ts [--port 4322]
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

export const DIST_DIR = join(PROJECT_ROOT, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.xml', '.txt', '.svg']);

export interface DistServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  close(): Promise<void>;
}

async function fileFor(root: string, pathname: string): Promise<string | undefined> {
  const decoded = decodeURIComponent(pathname);
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  for (const path of [candidate, join(candidate, 'index.html')]) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) return path;
  }
  return undefined;
}

async function respond(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let status = 200;
    let path = await fileFor(root, url.pathname);
    if (!path) {
      status = 404;
      path = join(root, '404.html');
    }
    const extension = extname(path);
    let body: Buffer = await readFile(path).catch(() => Buffer.from('Not found'));
    const headers: Record<string, string> = { 'content-type': TYPES[extension] ?? 'application/octet-stream' };
    if (url.pathname.startsWith('/_astro/')) headers['cache-control'] = 'public, max-age=31536000, immutable';
    if (COMPRESSIBLE.has(extension) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      headers['vary'] = 'accept-encoding';
    }
    headers['content-length'] = String(body.length);
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(String(error));
  }
}

export async function serveDist(options: { root?: string; port?: number } = {}): Promise<DistServer> {
  const root = resolve(options.root ?? DIST_DIR);
  const server: Server = createServer((request, response) => void respond(root, request, response));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (import.meta.main) {
  let port = 4322;
  try {
    const { values } = parseArgs({ options: { port: { type: 'string', default: '4322' } } });
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`--port must be a port number from 1 to 65535, got "${values.port}"`);
  } catch (error) {
    console.error(`serve-dist: ${(error as Error).message}`);
    process.exit(2);
  }
  const { origin } = await serveDist({ port });
  console.log(`Serving ${DIST_DIR} at ${origin}/ (Ctrl-C to stop)`);
}
