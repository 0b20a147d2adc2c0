// Each runbook has a page with the agreed sections, the alerts that lead to it,
// and its steps rendered from the definition (not copied).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RUNBOOKS } from '../../runbooks/steps/index.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const ALERTS: Record<string, string[]> = {
  'health-check': ['PostgresDown'],
  'slow-queries': ['StorefrontHighResponseTime', 'StorefrontSlowQueries'],
  'lock-contention': ['PostgresLongRunningTransaction', 'PostgresLockWaits'],
  'connection-saturation': ['PostgresConnectionsNearLimit'],
  'cache-hit-rate': ['StorefrontLowCacheHitRate', 'PostgresLowBufferCacheHitRatio'],
  'error-spike': ['StorefrontHighErrorRate', 'PostgresDeadlocksIncreasing'],
  'vacuum-bloat': ['PostgresDeadTuplesHigh'],
  rollback: ['StorefrontHighErrorRate'],
  'wal-growth': ['PostgresReplicationSlotRetainingWal', 'PostgresArchiveFailing', 'PostgresWalDirectoryLarge'],
};

describe('runbook pages', () => {
  test.each(Object.keys(ALERTS))('the %s page has its alerts, the four sections in order and steps from its definition', (slug) => {
    expect(RUNBOOKS[slug], `runbooks/steps/index.ts lists ${slug}`).toBeDefined();
    const page = readFileSync(join(PROJECT_ROOT, `site/content/docs/runbooks/${slug}.mdx`), 'utf8');
    const headings = [...page.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(['Alerts that lead here', 'Meaning', 'Impact', 'Diagnosis', 'Mitigation']);
    const alerts = page.slice(page.indexOf('## Alerts that lead here'), page.indexOf('## Meaning'));
    for (const alert of ALERTS[slug]!) expect(alerts).toContain(alert);
    expect(page).toContain(`<RunbookSteps runbook="${slug}" part="command"`);
    expect(page).toContain(`<RunbookSteps runbook="${slug}" part="read"`);
    if (RUNBOOKS[slug]!.steps.some((step) => step.kind === 'write')) expect(page).toContain(`<RunbookSteps runbook="${slug}" part="write"`);
    expect(page).toMatch(/pg_monitor/);
    expect(page).not.toMatch(/```(sql|ts|js|json|yaml)/);
  });

  test('the index lists every runbook', () => {
    const index = readFileSync(join(PROJECT_ROOT, 'site/content/docs/runbooks/index.mdx'), 'utf8');
    for (const slug of Object.keys(ALERTS)) expect(index).toContain(`(/runbooks/${slug}/)`);
  });
});
