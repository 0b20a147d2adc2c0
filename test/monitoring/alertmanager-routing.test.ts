import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SEVERITIES } from '../../monitoring/baselines.ts';
import { DEFAULT_RECEIVER, PLACEHOLDERS, ROUTING } from '../../monitoring/alertmanager-routing.ts';
import { GENERATED_FILES, MONITORING_DIR } from '../../monitoring/generate.ts';
import { runCommand } from '../support/run-command.ts';
import { requireTool } from './tools.ts';

const configFile = join(MONITORING_DIR, GENERATED_FILES.alertmanager);

function routesTo(amtool: string, labels: string[]) {
  return runCommand(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, ...labels], { cwd: MONITORING_DIR });
}

describe('the Alertmanager configuration', () => {
  test('passes amtool check-config', async ({ skip }) => {
    const amtool = requireTool('amtool', skip);
    const { code, output } = await runCommand(amtool, ['check-config', configFile], { cwd: MONITORING_DIR });
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  test('routes SEV1 and SEV2 to PagerDuty and Slack, SEV3 to Slack and SEV4 to the JIRA webhook', async ({ skip }) => {
    const amtool = requireTool('amtool', skip);
    expect(ROUTING.SEV1.receivers).toEqual(['pagerduty', 'slack']);
    expect(ROUTING.SEV2.receivers).toEqual(['pagerduty', 'slack']);
    expect(ROUTING.SEV3.receivers).toEqual(['slack']);
    expect(ROUTING.SEV4.receivers).toEqual(['jira']);
    for (const severity of SEVERITIES) {
      const { code, output } = await routesTo(amtool, [
        `--verify.receivers=${ROUTING[severity].receivers.join(',')}`,
        `severity=${severity}`,
        'alertname=AnyAlert',
      ]);
      expect(output.split('\n')[0], severity).toBe(ROUTING[severity].receivers.join(','));
      expect(code, `${severity}: ${output}`).toBe(0);
    }
  });

  test('an alert without a known severity still reaches Slack', async ({ skip }) => {
    const amtool = requireTool('amtool', skip);
    expect((await routesTo(amtool, ['alertname=Unlabelled'])).output.split('\n')[0]).toBe(DEFAULT_RECEIVER);
    expect((await routesTo(amtool, ['severity=critical'])).output.split('\n')[0]).toBe(DEFAULT_RECEIVER);
  });

  test('a wrong expectation fails the routing check', async ({ skip }) => {
    const amtool = requireTool('amtool', skip);
    expect((await routesTo(amtool, ['--verify.receivers=slack', 'severity=SEV1'])).code).not.toBe(0);
  });

  test('holds placeholder secrets only', () => {
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain(PLACEHOLDERS.pagerdutyRoutingKey);
    expect(text).toContain(PLACEHOLDERS.slackWebhook);
    // A real Slack webhook path is three IDs of capitals and digits; a real routing key is 32 hex characters.
    expect(text).not.toMatch(/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\//);
    expect(text).not.toMatch(/routing_key: ['"]?[0-9a-f]{32}/);
  });
});
