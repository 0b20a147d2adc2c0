// A smoke run of the isolation measurement, at a tiny size, so the command that
// produces the Testing page's figures keeps working. The figures come from
// `npm run measure:test-isolation`, never from this test.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { describe, expect, test } from '../../harness/database.ts';
import { admin } from '../../harness/database.ts';
import { cloneName, databasesOfRun, templateName } from '../../harness/naming.ts';
import { measureIsolation, summarise } from '../../../snippets/testing/measure-isolation.ts';

describe('the isolation measurement', () => {
  test('clones the seeded template, drops every clone it made, and times a rolled-back transaction', async () => {
    const runId = inject('runId');
    const suffix = `measure_${randomBytes(3).toString('hex')}`;
    const result = await measureIsolation({
      admin: admin(),
      adminUrl: inject('adminUrl'),
      template: templateName(runId),
      cloneName: (i) => cloneName(runId, `${suffix}_${i}`),
      files: 2,
      tests: 3,
    });
    expect(result.clone.samples).toBe(2);
    expect(result.beginRollback.samples).toBe(3);
    expect(result.clone.medianMs).toBeGreaterThan(0);
    expect(result.templateBytes).toBeGreaterThan(0);
    const left = (await databasesOfRun(admin(), runId)).filter((name) => name.includes(suffix));
    expect(left).toEqual([]);
  });

  test('summarises durations as a median and a 95th percentile', () => {
    const durations = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(summarise(durations)).toEqual({ samples: 20, medianMs: 10, p95Ms: 19 });
    expect(summarise([4])).toEqual({ samples: 1, medianMs: 4, p95Ms: 4 });
  });
});
