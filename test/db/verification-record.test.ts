// Records the PostgreSQL server this `npm test` run used, so the build can say on every
// page that shows snippets which versions ran them and at which commit (VerificationBadge).
// CI runs `npm test` on the embedded server and on PostgreSQL 15, then builds: the badge
// it publishes names both, and it is only built if both runs passed (`set -e` in .ci/run).
import { expect, inject, test } from 'vitest';
import { createPool } from '../../lib/db/connect.ts';
import { currentCommit, hasUncommittedChanges, readVerification, recordServerRun } from '../../lib/verification.ts';

// Only `npm test` (the whole suite) may speak for every page: npm marks its scripts with
// npm_lifecycle_event. `npx vitest run some/file.test.ts` records nothing unless
// HANDBOOK_RECORD_VERIFICATION=1. (process.argv cannot tell: tests run in worker threads.)
const record = process.env.HANDBOOK_RECORD_VERIFICATION === '1' || process.env.npm_lifecycle_event === 'test';

test('the run records the PostgreSQL version it tested against, with the commit, for the verification badges', async (context) => {
  if (!record)
    context.skip(
      'only a whole-suite run (npm test) records the versions behind the verification badges; HANDBOOK_RECORD_VERIFICATION=1 forces it',
    );
  const pool = createPool(inject('adminUrl'), 1);
  try {
    const { rows } = await pool.query<{ server_version: string }>('show server_version');
    const version = rows[0]!.server_version;
    const commit = currentCommit() ?? 'unknown';
    recordServerRun({
      version,
      source: inject('databaseSource'),
      commit,
      uncommitted: hasUncommittedChanges(),
      ci: process.env.CI === 'true',
      recordedAt: new Date().toISOString(),
    });
    const major = version.split(/[.\s]/)[0]!;
    expect(Number(major)).toBeGreaterThanOrEqual(13);
    expect(readVerification()[major]).toMatchObject({ version, commit });
  } finally {
    await pool.end();
  }
});
