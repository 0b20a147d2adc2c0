import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ALERT_RULES } from '../../monitoring/alert-rules.ts';
import { GENERATED_FILES, MONITORING_DIR } from '../../monitoring/generate.ts';
import { runCommand } from '../support/run-command.ts';
import { requireTool } from './tools.ts';

const rulesDir = join(MONITORING_DIR, 'prometheus');

describe('the Prometheus alert rules', () => {
  test('pass promtool check rules', async ({ skip }) => {
    const promtool = requireTool('promtool', skip);
    const { code, output } = await runCommand(promtool, ['check', 'rules', GENERATED_FILES.rules.split('/')[1]!], { cwd: rulesDir });
    expect(output).toContain(`SUCCESS: ${ALERT_RULES.length} rules found`);
    expect(code).toBe(0);
  });

  test('load from a Prometheus configuration that passes promtool check config', async ({ skip }) => {
    const promtool = requireTool('promtool', skip);
    const { code, output } = await runCommand(promtool, ['check', 'config', GENERATED_FILES.prometheus.split('/')[1]!], { cwd: rulesDir });
    expect(output, output).toContain('SUCCESS: 1 rule files found');
    expect(code).toBe(0);
  });

  test('pass their promtool unit tests: every alert fires on series that break it and stays silent on healthy ones', async ({ skip }) => {
    const promtool = requireTool('promtool', skip);
    const { code, output } = await runCommand(promtool, ['test', 'rules', GENERATED_FILES.ruleTests.split('/')[1]!], { cwd: rulesDir });
    expect(output, output).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  test('every alert has at least one firing and one silent unit test', () => {
    for (const rule of ALERT_RULES) {
      expect(
        rule.cases.some((testCase) => testCase.fires),
        `${rule.name} has no firing case`,
      ).toBe(true);
      expect(
        rule.cases.some((testCase) => !testCase.fires),
        `${rule.name} has no healthy case`,
      ).toBe(true);
    }
  });

  test('the unit tests catch a copied rule that never fires (avg instead of max, rate of a counter compared as a gauge)', async ({
    skip,
  }) => {
    const promtool = requireTool('promtool', skip);
    // The widely copied variants: both pass `promtool check rules`, neither fires on a real incident.
    const broken = readFileSync(join(rulesDir, 'storefront-alerts.yml'), 'utf8')
      .replace(
        'max by (instance, datname) (pg_stat_activity_max_tx_duration',
        'avg by (instance, datname) (pg_stat_activity_max_tx_duration',
      )
      .replace('}[10m])) > 0', '}[10m])) > 1')
      .replace('increase(pg_stat_database_deadlocks', 'rate(pg_stat_database_deadlocks');
    const dir = mkdtempSync(join(tmpdir(), 'handbook-rules-'));
    try {
      writeFileSync(join(dir, 'storefront-alerts.yml'), broken);
      copyFileSync(join(rulesDir, 'storefront-alerts.test.yml'), join(dir, 'storefront-alerts.test.yml'));
      expect((await runCommand(promtool, ['check', 'rules', 'storefront-alerts.yml'], { cwd: dir })).code).toBe(0);
      const { code, output } = await runCommand(promtool, ['test', 'rules', 'storefront-alerts.test.yml'], { cwd: dir });
      expect(code).not.toBe(0);
      expect(output).toContain('alertname: PostgresLongRunningTransaction');
      expect(output).toContain('alertname: PostgresDeadlocksIncreasing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
