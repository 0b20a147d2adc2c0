// `npm run lint:migrations`: compiles the `up` of every Storefront migration to SQL with the
// recording driver (no database needed, nothing is applied) and checks it with squawk for DDL
// that would lock a busy table. `npm run lint:migrations -- path/to/migration.ts …` lints
// migration modules that are not in the list yet.
//
// Exit codes: 0 every migration is clean, 1 squawk found unsafe DDL, 2 bad usage (a file that
// is not a migration module, squawk missing for this platform).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandbookMigration } from '../../snippets/app/migrate.ts';
import { recordMigrationSql } from '../../snippets/schema-changes/record-migration-sql.ts';

// #region squawk-rules
/**
 * Squawk's default rules apply, checked against PostgreSQL 15 (our oldest server), except
 * these, each for a stated reason:
 */
export const EXCLUDED_RULES: Readonly<Record<string, string>> = {
  'prefer-bigint-over-int': 'the Storefront schema uses integer keys; converting them would itself be a table rewrite',
  'prefer-identity': 'the Storefront schema uses serial; a style choice, not a lock',
  'require-statement-timeout':
    'a concurrent index build may rightly run for minutes; the runner bounds lock waits with lock_timeout instead',
};
export const SQUAWK_PG_VERSION = '15';
// #endregion squawk-rules

export interface Finding {
  rule: string;
  message: string;
  /** 1-based line in the recorded SQL. */
  line: number;
  statement: string;
}

export interface LintResult {
  name: string;
  sql: string;
  findings: Finding[];
  /** Findings the migration declared in `lintExceptions`, with its reason. */
  allowed?: (Finding & { reason: string })[];
}

export class UsageError extends Error {}

function squawkBinary(): string {
  try {
    const { getBinaryPath } = createRequire(import.meta.url)('squawk-cli/js/index.js') as { getBinaryPath: () => string };
    return getBinaryPath();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(
      `squawk is not installed for ${process.platform}-${process.arch} (${reason}); run \`npm ci\` with optional dependencies`,
    );
  }
}

/** Runs squawk over SQL texts, one file each, and returns what it found per name. */
export function lintSql(files: readonly { name: string; sql: string }[]): LintResult[] {
  const binary = squawkBinary();
  const dir = mkdtempSync(join(tmpdir(), 'lint-migrations-'));
  try {
    const paths = files.map(({ name, sql }) => {
      const path = join(dir, `${name}.sql`);
      writeFileSync(path, sql);
      return path;
    });
    const run = spawnSync(
      binary,
      ['--reporter', 'json', '--pg-version', SQUAWK_PG_VERSION, '--exclude', Object.keys(EXCLUDED_RULES).join(','), ...paths],
      { encoding: 'utf8' },
    );
    if (run.error) throw new UsageError(`squawk could not run: ${run.error.message}`);
    let reported: { file: string; line: number; message: string; rule_name: string }[];
    try {
      reported = JSON.parse(run.stdout) as typeof reported;
    } catch {
      throw new UsageError(`squawk did not answer in JSON (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
    }
    return files.map(({ name, sql }, i) => {
      const lines = sql.split('\n');
      const findings = reported
        .filter((r) => r.file === paths[i])
        .map((r) => ({ rule: r.rule_name, message: r.message, line: r.line + 1, statement: (lines[r.line] ?? '').trim() }));
      return { name, sql, findings };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records each migration's `up` and lints it. A rule the migration lists in `lintExceptions` is reported as allowed, not as a finding. */
export async function lintMigrations(migrations: Readonly<Record<string, HandbookMigration>>): Promise<LintResult[]> {
  const files = [];
  for (const [name, migration] of Object.entries(migrations)) files.push({ name, sql: await recordMigrationSql(migration, 'up') });
  return lintSql(files).map((result) => {
    const exceptions = migrations[result.name]?.lintExceptions ?? {};
    return {
      ...result,
      findings: result.findings.filter((f) => !exceptions[f.rule]),
      allowed: result.findings.filter((f) => exceptions[f.rule]).map((f) => ({ ...f, reason: exceptions[f.rule]! })),
    };
  });
}

async function loadModules(paths: string[]): Promise<Record<string, HandbookMigration>> {
  const loaded: Record<string, HandbookMigration> = {};
  for (const path of paths) {
    let module: Partial<HandbookMigration>;
    try {
      module = (await import(pathToFileURL(resolve(path)).href)) as Partial<HandbookMigration>;
    } catch (error) {
      throw new UsageError(`cannot load ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    if (typeof module.up !== 'function') throw new UsageError(`${path} is not a migration module: it exports no up()`);
    loaded[basename(path).replace(/\.[cm]?[jt]s$/, '')] = module as HandbookMigration;
  }
  return loaded;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      'usage: npm run lint:migrations [-- <migration.ts> …]\nLints the Storefront migrations, or the given migration modules, with squawk.\nExit: 0 clean, 1 unsafe DDL found, 2 bad usage.',
    );
    return 0;
  }
  const unknown = argv.find((arg) => arg.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown} (see --help)`);
  const migrations = argv.length ? await loadModules(argv) : (await import('../../snippets/app/migrations/index.ts')).migrations;
  const results = await lintMigrations(migrations);
  for (const { name, findings, allowed = [] } of results) {
    if (!findings.length) {
      console.log(`✓ ${name}`);
      for (const a of allowed) console.log(`    allowed ${a.rule} (line ${a.line}): ${a.reason}`);
      continue;
    }
    console.log(`✗ ${name}`);
    for (const f of findings) console.log(`    line ${f.line}: ${f.rule}: ${f.message}\n      ${f.statement}`);
  }
  const bad = results.filter((r) => r.findings.length).length;
  console.log(
    bad
      ? `${bad} of ${results.length} migrations have unsafe DDL (rules: https://squawkhq.com/docs/rules)`
      : `${results.length} migrations checked, no unsafe DDL`,
  );
  return bad ? 1 : 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`lint:migrations: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
