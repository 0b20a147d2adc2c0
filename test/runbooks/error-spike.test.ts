import { test, describe, expect } from '../harness/database.ts';
import { deadlockLoop } from '../../runbooks/drills/faults.ts';
import { runbook } from './run-runbook.ts';

describe('error-spike runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('error-spike', ['--window', '500ms'], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });

  test('counts the deadlocks that happen during its window and names the database', async ({ database }) => {
    const fault = await deadlockLoop(database.url);
    try {
      const result = await runbook('error-spike', ['--window', '3s', '--json'], { url: database.url });
      expect(result.code, result.output).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.data.delta.deadlocks).toBeGreaterThan(0);
      expect(report.summary).toContain(`deadlock(s) in ${database.name}`);
    } finally {
      await fault.clear();
    }
  });
});
