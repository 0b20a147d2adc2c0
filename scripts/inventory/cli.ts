// npm run inventory -- [<file or folder>…] [--config <file>] [--json] [--check] [--baseline <file>]
//                      [--update-baseline] [--progress]
//
// Without paths it inventories the Storefront as scripts/inventory/storefront.config.json
// describes it (its app and service, with the legacy layer, allow-list and baseline).
// Exit codes: 0 done (and, with --check, nothing new); 1 --check found raw sites the baseline
// does not hold; 2 bad usage or unreadable input (one line on stderr).
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceInput } from './find-sites.ts';
import type { Inventory, InventoryConfig } from './inventory.ts';
import { baselineOf, compareWithBaseline, parseBaseline } from './baseline.ts';
import { formatTable } from './format-table.ts';
import { progressOf } from './progress.ts';

// The extensions find-sites.ts parses. The TypeScript compiler and the SQL parser load only
// once the arguments are valid, so a typo is answered at once.
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

export const STOREFRONT_CONFIG = 'scripts/inventory/storefront.config.json';
export const PROGRESS_FILE = 'site/data/migration-progress.json';
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);

const USAGE = `usage: npm run inventory -- [<file or folder>...] [--config <file>] [--json] [--check] [--baseline <file>] [--update-baseline] [--progress]

Finds raw SQL call sites (pool.query, client.query, query configs, sql\`…\` tags, Kysely sql.raw/sql.lit,
and wrappers that forward SQL) and Kysely queries, with their tables and status.
Without paths, inventories the Storefront (${STOREFRONT_CONFIG}).

  --json              print the inventory as JSON
  --check             exit 1 when a raw site appears that the baseline does not hold
  --baseline <file>   the baseline to check against (default: the config's "baseline")
  --update-baseline   write the current raw sites to the baseline file
  --progress          write the progress page's data, ${PROGRESS_FILE}
Exit codes: 0 ok, 1 new raw sites (--check), 2 bad usage or input.`;

class UsageError extends Error {}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        check: { type: 'boolean' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        progress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  try {
    const paths = positionals;
    const progressFile = values.progress ? PROGRESS_FILE : undefined;
    const configPath = values.config ?? (paths.length ? undefined : STOREFRONT_CONFIG);
    const config: InventoryConfig = configPath ? readConfig(resolve(cwd, configPath)) : { paths };
    if (paths.length) config.paths = paths;
    if (progressFile && configPath !== STOREFRONT_CONFIG)
      throw new UsageError("--progress writes the Storefront's progress page: run it without paths or --config");

    const inputs = readSources(config.paths, cwd);
    if (inputs.length === 0) throw new UsageError(`no .ts/.js files under ${config.paths.join(', ')}`);
    const { buildInventory } = await import('./inventory.ts');
    const inventory = await buildInventory(inputs, config);

    const baselinePath = values.baseline ?? config.baseline;
    if (values['update-baseline']) {
      if (!baselinePath) throw new UsageError('--update-baseline needs --baseline <file> or a config with "baseline"');
      writeFileSync(resolve(cwd, baselinePath), `${JSON.stringify(baselineOf(inventory.sites), null, 2)}\n`);
      process.stderr.write(`wrote ${baselinePath} (${inventory.totals.raw} raw sites)\n`);
    }
    if (progressFile) {
      writeFileSync(resolve(cwd, progressFile), `${JSON.stringify(progressOf(inventory, config), null, 2)}\n`);
      process.stderr.write(`wrote ${progressFile}\n`);
    }

    // --check alone prints only its verdict, so a CI log shows what is new and nothing else.
    if (values.json) process.stdout.write(`${JSON.stringify(inventory, null, 2)}\n`);
    else if (!values.check) process.stdout.write(formatTable(inventory));

    if (values.check) {
      if (!baselinePath) throw new UsageError('--check needs --baseline <file> or a config with "baseline"');
      return check(inventory, resolve(cwd, baselinePath), baselinePath, Boolean(values.json));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
}

function check(inventory: Inventory, path: string, shown: string, quiet: boolean): number {
  if (!existsSync(path)) throw new UsageError(`baseline ${shown} does not exist (create it with --update-baseline)`);
  let baseline;
  try {
    baseline = parseBaseline(readFileSync(path, 'utf8'), shown);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { added, removed } = compareWithBaseline(inventory.sites, baseline);
  const out = quiet ? process.stderr : process.stdout;
  for (const entry of removed)
    out.write(`✓ ${entry.key}: ${entry.baseline} → ${entry.now} (converted; shrink the baseline with --update-baseline)\n`);
  if (added.length === 0) {
    out.write(`✓ no raw SQL call site beyond the baseline ${shown}\n`);
    return 0;
  }
  for (const entry of added) {
    out.write(`✗ ${entry.key}: ${entry.now} raw site(s), the baseline allows ${entry.baseline}\n`);
    for (const site of entry.sites) out.write(`    ${site.file}:${site.line}  ${site.sql === undefined ? 'dynamic' : oneLine(site.sql)}\n`);
  }
  out.write(`New raw SQL: write it with Kysely (see the guide's "Converting queries" page), or add an allow-list entry with a reason.\n`);
  return 1;
}

function oneLine(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function readConfig(path: string): InventoryConfig {
  if (!existsSync(path)) throw new UsageError(`config ${path} does not exist`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`config ${path} is not valid JSON`);
  }
  const config = value as Partial<InventoryConfig> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (!config || !strings(config.paths) || (config.legacy !== undefined && !strings(config.legacy))) {
    throw new UsageError(`config ${path} needs "paths" (and optional "legacy") as lists of strings`);
  }
  for (const entry of config.allow ?? []) {
    if (typeof entry?.file !== 'string' || typeof entry.reason !== 'string' || !entry.reason.trim()) {
      throw new UsageError(`config ${path}: every "allow" entry needs a "file" and a non-empty "reason"`);
    }
  }
  return config as InventoryConfig;
}

/** Reads every source file under the given paths; reports paths relative to the working folder when inside it. */
export function readSources(paths: readonly string[], cwd: string): SourceInput[] {
  const inputs: SourceInput[] = [];
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    if (!existsSync(absolute)) throw new UsageError(`${given} does not exist`);
    const inside = !relative(cwd, absolute).startsWith('..') && !isAbsolute(relative(cwd, absolute));
    const base = inside ? cwd : dirname(absolute);
    const stats = statSync(absolute);
    if (stats.isFile() && !isSource(absolute)) throw new UsageError(`${given} is not a .ts or .js source file`);
    for (const file of stats.isDirectory() ? walk(absolute) : [absolute]) {
      inputs.push({ path: relative(base, file).split(sep).join('/'), text: readFileSync(file, 'utf8') });
    }
  }
  return inputs;
}

function isSource(path: string): boolean {
  return SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension)) && !/\.d\.[cm]?ts$/.test(path);
}

function walk(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else if (isSource(path)) files.push(path);
  }
  return files;
}

function fail(message: string): number {
  process.stderr.write(`inventory: ${message}\n`);
  return 2;
}

if (import.meta.main) {
  // exitCode, not exit(): exit() would cut off a large --json output still queued for a pipe.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`inventory: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
