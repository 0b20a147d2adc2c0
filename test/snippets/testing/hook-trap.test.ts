// Proves the hook trap described on the Testing page: two test files share one worker
// with isolate: false; a beforeEach registered at the top level of a shared module runs
// for whichever file imported it first, and not for the other. A fixture runs for both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OUTSIDE_VITEST, runNode } from '../../support/run-command.ts';

describe('hooks in a shared module with isolate: false', () => {
  test('a top-level beforeEach runs for the first importing file only; a fixture runs for both', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hook-trap-'));
    try {
      const run = await runNode(
        [
          'node_modules/vitest/vitest.mjs',
          'run',
          '--config',
          'test/snippets/testing/hook-trap/vitest.config.ts',
          '--reporter=json',
          `--outputFile=${join(out, 'report.json')}`,
        ],
        { env: OUTSIDE_VITEST, timeoutMs: 60_000 },
      );
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
        testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
      };
      expect(run.code).toBe(1);
      const byFile = report.testResults.map((file) => Object.fromEntries(file.assertionResults.map((t) => [t.title, t.status])));
      expect(byFile).toHaveLength(2);
      // Which file runs first is up to the scheduler; exactly one of them gets the hook.
      expect(byFile.map((file) => file['the shared beforeEach ran before this test']).sort()).toEqual(['failed', 'passed']);
      expect(byFile.map((file) => file['the fixture ran before this test'])).toEqual(['passed', 'passed']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
