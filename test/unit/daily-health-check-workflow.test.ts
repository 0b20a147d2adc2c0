import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const WORKFLOW = join(PROJECT_ROOT, '.github', 'workflows', 'daily-health-check.yml');
const workflow = parse(readFileSync(WORKFLOW, 'utf8'));
const steps = workflow.jobs['health-check'].steps as {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}[];

describe('the daily health-check workflow', () => {
  test('runs on a daily schedule and on demand', () => {
    expect(workflow.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  test('runs health-check --json against the database named by a secret, never a literal URL', () => {
    const check = steps.find((step) => step.run?.includes('runbooks/health-check.ts'))!;
    expect(check.run).toContain('--json');
    expect(check.env!.DATABASE_URL).toBe('${{ secrets.HEALTH_CHECK_DATABASE_URL }}');
    expect(readFileSync(WORKFLOW, 'utf8')).not.toMatch(/postgres(ql)?:\/\/[^\s'"]*@/);
  });

  test('keeps the report as an artifact even when the check fails', () => {
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with!.path)).toContain('health-check.json');
  });

  test('fails the run, with an error annotation, on every exit code but 0', () => {
    const fail = steps.find((step) => step.if?.includes("outputs.exit != '0'"))!;
    expect(fail.run).toContain('::error');
    expect(fail.run).toMatch(/exit 1\s*$/);
  });
});
