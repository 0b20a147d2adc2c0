// Reads a named region out of a file under snippets/ (or runbooks/) at build time.
// A missing file or region throws, which fails `astro build` with the page named.
import { readFileSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const REGION_START = /^\s*(?:\/\/|--|#)\s*#region\s+(\S+)\s*$/;
const REGION_END = /^\s*(?:\/\/|--|#)\s*#endregion(?:\s+(\S+))?\s*$/;

export interface SnippetSource {
  /** Path relative to the project root, shown as the code block's title. */
  path: string;
  code: string;
  lang: string;
}

const LANGS: Record<string, string> = {
  '.ts': 'ts',
  '.mjs': 'js',
  '.js': 'js',
  '.sql': 'sql',
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.txt': 'text',
  '.sh': 'sh',
};

export function resolveSnippetPath(file: string): string {
  // Accept "app/seed.ts" (under snippets/) or a root-relative path such as "runbooks/locks.ts".
  const candidates = [join('snippets', file), file];
  const found = candidates.find((candidate) => existsSync(join(PROJECT_ROOT, candidate)));
  if (!found) throw new Error(`snippet file not found: ${file} (looked in ${candidates.join(', ')})`);
  return found;
}

/** Lines between `#region name` and its `#endregion`, other markers removed, common indent stripped. */
export function extractRegion(source: string, region: string | undefined): string | undefined {
  const lines = source.split('\n');
  let body: string[];
  if (region === undefined) {
    body = lines;
  } else {
    const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === region);
    if (start === -1) return undefined;
    const end = lines.findIndex(
      (line, index) => index > start && REGION_END.test(line) && (REGION_END.exec(line)?.[1] ?? region) === region,
    );
    if (end === -1) return undefined;
    body = lines.slice(start + 1, end);
  }
  body = body.filter((line) => !REGION_START.test(line) && !REGION_END.test(line));
  while (body.length && !body[0]!.trim()) body.shift();
  while (body.length && !body.at(-1)!.trim()) body.pop();
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

export function readSnippet(file: string, region: string | undefined, page: string): SnippetSource {
  let path: string;
  try {
    path = resolveSnippetPath(file);
  } catch (error) {
    throw new Error(`[snippet] page ${page}: ${(error as Error).message}`, { cause: error });
  }
  const code = extractRegion(readFileSync(join(PROJECT_ROOT, path), 'utf8'), region);
  if (code === undefined) throw new Error(`[snippet] page ${page}: region "${region}" not found in ${path}`);
  return { path, code, lang: LANGS[extname(path)] ?? 'text' };
}
