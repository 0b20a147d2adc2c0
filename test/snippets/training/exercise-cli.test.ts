// `npm run exercise` as a learner runs it: a real process, a real throwaway database.
import { describe, expect, inject, test } from 'vitest';
import { runNode } from '../../support/run-command.ts';

async function exercise(args: string[]): Promise<{ code: number | null; out: string }> {
  const { code, output } = await runNode(['scripts/exercise.ts', ...args], {
    // The run's own server stands in for "whatever the resolver picks"; the CLI makes its own database on it.
    env: { DATABASE_URL: inject('adminUrl') },
  });
  return { code, out: output };
}

describe('npm run exercise', () => {
  test('an unknown exercise number is bad usage: exit 2 and the list of exercises', async () => {
    const { code, out } = await exercise(['11']);
    expect(code).toBe(2);
    expect(out).toContain('there is no exercise "11"');
    expect(out).toContain('snippets/training/04-n-plus-one/starter.ts');
  });

  test.concurrent('the untouched starter exits 1 and prints a hint under each failed check', async () => {
    const { code, out } = await exercise(['4']);
    expect(code).toBe(1);
    expect(out).toMatch(/✗ listOrdersWithLines sends at most 2 queries.*\n\s+problem: it sent \d+ queries/);
    expect(out).toContain('hint:');
  });

  test.concurrent('--solution exits 0 with every check ticked', async () => {
    const { code, out } = await exercise(['4', '--solution']);
    expect(code).toBe(0);
    expect(out).toContain('3 of 3 checks passed.');
    expect(out).not.toContain('✗');
  });
});
