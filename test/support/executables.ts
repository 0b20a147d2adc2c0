// System programs the tests drive (promtool, amtool, PgBouncer, Prometheus, postgres_exporter).
// Missing on a laptop: the test is skipped with the install command. Missing under CI=true:
// the test fails, so CI cannot go green without having really run them.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { debianBinariesPresent, DEBIAN_PG_INSTALL } from '../../scripts/db/debian-cluster.ts';

// Debian installs some daemons (pgbouncer) into sbin, which a normal user's PATH lacks.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The path of an installed program, looked up on PATH and in the sbin folders; undefined when missing. */
export function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SBIN]) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Why a test cannot run without `name`, with the command that installs it. */
export function missingMessage(name: string, install: string): string {
  return `${name} is not installed; install it with: ${install}`;
}

/**
 * For tests that need system tools: `missing` says what is missing and how to install it (undefined
 * when everything is there). Under CI=true a missing tool throws, failing the file; elsewhere the
 * message comes back for the caller to skip with.
 */
export function skipUnlessCi(missing: string | undefined): string | undefined {
  if (missing && process.env.CI === 'true') throw new Error(`${missing} (CI=true: a missing tool fails the run)`);
  return missing;
}

/** The program's path, or a skip (locally) / a failure (under CI=true) that names the install command. */
export function requireExecutable(name: string, install: string, skip: (note: string) => never): string {
  const path = findExecutable(name);
  if (path) return path;
  return skip(skipUnlessCi(missingMessage(name, install))!);
}

/** What is missing to start a throwaway Debian PostgreSQL 15 cluster, or undefined. */
export function missingDebianPostgres(): string | undefined {
  return debianBinariesPresent() ? undefined : `PostgreSQL 15 binaries are missing; install them with: ${DEBIAN_PG_INSTALL}`;
}
