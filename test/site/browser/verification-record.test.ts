// Records the PostgreSQL server this `npm test` run used, so the build can say on every
// page that shows snippets which versions ran them and at which commit (VerificationBadge).
// CI runs `npm test` on the embedded server and on PostgreSQL 15, then builds: the badge
// it publishes names both, and it is only built if both runs passed (`set -e` in .ci/run).
import { inject } from 'vitest';
import { expect, test } from '../../harness/database.ts';
import { createPool } from '../../../scripts/db/connect.ts';
import { currentCommit, hasUncommittedChanges, readVerification, recordServerRun } from '../../../scripts/site/verification.ts';

test('the run records the PostgreSQL version it tested against, with the commit, for the verification badges', async () => {
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
