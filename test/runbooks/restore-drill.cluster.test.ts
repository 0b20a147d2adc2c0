// The restore runbook's drill, on Debian's PostgreSQL 15 binaries: WAL archiving,
// pg_basebackup, writes, an accident, a point-in-time restore into a fresh cluster,
// and a checksum of every row that existed at the target time.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { missingDebianPostgres, skipUnlessCi } from '../support/executables.ts';
import { RESTORE_DRILL_FILE, runRestoreDrill, type RestoreDrillFigures } from '../../scripts/emergency/restore-drill.ts';

const missing = skipUnlessCi(missingDebianPostgres());

describe('the restore drill', () => {
  test.skipIf(Boolean(missing))(
    'restores to the moment before the accident: every earlier row back, byte for byte, nothing later',
    async () => {
      const figures = await runRestoreDrill();
      expect(figures.postgres).toMatch(/^PostgreSQL 15\./);
      expect(figures.rowsCompared).toBe(4000);
      expect(figures.checksumMatches).toBe(true);
      expect(figures.rowsAfterTarget).toBe(0);
      expect(figures.rowsRecovered).toBe(2000);
      expect(figures.archivedWalFiles).toBeGreaterThan(0);
    },
    180_000,
  );

  test('the figures on the restore page come from a recorded drill that passed', () => {
    const recorded = JSON.parse(readFileSync(RESTORE_DRILL_FILE, 'utf8')) as RestoreDrillFigures;
    expect(recorded.checksumMatches).toBe(true);
    expect(recorded.rowsAfterTarget).toBe(0);
    expect(recorded.rowsCompared).toBeGreaterThan(0);
    expect(recorded.backupBytes).toBeGreaterThan(0);
  });
});
