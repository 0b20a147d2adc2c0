import { test, describe, expect } from '../harness/database.ts';
import { deadTuples } from '../../runbooks/drills/faults.ts';
import { QUICK_HEALTH_CHECK, runbook } from './run-runbook.ts';

describe('health-check runbook', () => {
  test('runs every diagnosis and exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('health-check', ['--json', ...QUICK_HEALTH_CHECK], { url: database.url });
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.data.checks.map((check: { slug: string }) => check.slug)).toEqual([
      'lock-contention',
      'connection-saturation',
      'slow-queries',
      'cache-hit-rate',
      'error-spike',
      'vacuum-bloat',
      'rollback',
    ]);
    expect(report.healthy).toBe(true);
  });

  test('samples the cache over --cache-window and errors over --window, each check on its own flag', async ({ database }) => {
    const result = await runbook('health-check', ['--json', '--window', '300ms', '--cache-window', '400ms'], { url: database.url });
    expect(result.code, result.output).toBe(0);
    const summaries = Object.fromEntries(
      JSON.parse(result.stdout).data.checks.map((check: { slug: string; summary: string }) => [check.slug, check.summary]),
    );
    expect(summaries['cache-hit-rate']).toContain('during 0.4s');
    expect(summaries['error-spike']).toContain('during 0.3s');
  });

  test('exits 1 and names the failing check when one diagnosis finds a problem', async ({ database }) => {
    const fault = await deadTuples(database.url, 'orders');
    try {
      const result = await runbook('health-check', QUICK_HEALTH_CHECK, { url: database.url });
      expect(result.code, result.output).toBe(1);
      expect(result.stdout).toMatch(/✗ vacuum-bloat +1 table\(s\) need VACUUM; worst is public\.orders/);
      expect(result.stdout).toContain('run npx zx runbooks/vacuum-bloat.ts for details');
    } finally {
      await fault.clear();
    }
  });
});
