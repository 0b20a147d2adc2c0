import { describe, expect, test } from 'vitest';
import { SEVERITIES } from '../../monitoring/baselines.ts';
import { SEVERITY_POLICY } from '../../monitoring/severity-policy.ts';
import { ALERT_RULES } from '../../monitoring/alert-rules.ts';

describe('the severity policy the support pages render', () => {
  test('defines SEV1 to SEV4 once each, in order', () => {
    expect(SEVERITY_POLICY.map((policy) => policy.severity)).toEqual([...SEVERITIES]);
  });

  test('cites each alert as an example of the severity the alert really has', () => {
    for (const policy of SEVERITY_POLICY) {
      const named = ALERT_RULES.filter((rule) => policy.examples.includes(rule.name));
      for (const rule of named) expect(rule.severity, `${rule.name} is listed under ${policy.severity}`).toBe(policy.severity);
    }
  });
});
