// Which PostgreSQL servers the test suite ran against, at which commit.
// `npm test` records every server it runs on (test/db/verification-record.test.ts)
// into .handbook/verification.json; the build reads that file and stamps pages that show
// snippets (site/components/VerificationBadge.astro; which pages: site/lib/verification-badge.ts).
// Nothing here is typed by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './project-root.ts';

export const VERIFICATION_FILE = join(PROJECT_ROOT, '.handbook', 'verification.json');

export interface ServerRun {
  /** `server_version` as the server reported it, e.g. "18.1" or "15.14 (Debian 15.14-0+deb12u1)". */
  version: string;
  /** How the suite reached it: embedded, container or DATABASE_URL. */
  source: string;
  /** Short commit the suite ran at. */
  commit: string;
  /** True when snippets/, runbooks/ or test/ had uncommitted changes at the time. */
  uncommitted: boolean;
  /** True when CI=true. */
  ci: boolean;
  recordedAt: string;
}

/** One entry per PostgreSQL major version: the latest run on it. */
export type VerificationRecord = Record<string, ServerRun>;

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit being built or tested, or undefined outside a git checkout. */
export function currentCommit(): string | undefined {
  return git(['rev-parse', '--short', 'HEAD']);
}

export function hasUncommittedChanges(): boolean {
  return (git(['status', '--porcelain', '--', 'snippets', 'runbooks', 'test']) ?? '') !== '';
}

export function readVerification(file = VERIFICATION_FILE): VerificationRecord {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as VerificationRecord;
  } catch {
    return {};
  }
}

export function recordServerRun(run: ServerRun, file = VERIFICATION_FILE): VerificationRecord {
  const major = run.version.split(/[.\s]/)[0]!;
  const record = { ...readVerification(file), [major]: run };
  mkdirSync(dirname(file), { recursive: true });
  // Two shards may finish together: write whole files only.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
  return record;
}
