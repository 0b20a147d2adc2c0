// Every exercise is proven both ways on a real database: the solution passes every
// check, and the starter, untouched, fails at least one (with a hint to show).
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { exercises } from '../../../snippets/training/exercises.ts';
import { runChecks } from '../../../snippets/training/kit.ts';

describe('training exercises', () => {
  test('there are ten exercises, numbered 1 to 10, each with at least two checks', () => {
    expect(exercises.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const exercise of exercises) expect(exercise.checks.length).toBeGreaterThanOrEqual(2);
  });

  for (const exercise of exercises) {
    test(`exercise ${exercise.number} (${exercise.slug}): the solution passes every check`, async ({ database }) => {
      const results = await runChecks(exercise, 'solution', database.pool);
      expect(results.filter((r) => !r.passed)).toEqual([]);
    });

    test(`exercise ${exercise.number} (${exercise.slug}): the untouched starter fails, with a hint for each failure`, async ({
      database,
    }) => {
      const results = await runChecks(exercise, 'starter', database.pool);
      const failed = results.filter((r) => !r.passed);
      expect(failed.length).toBeGreaterThan(0);
      for (const failure of failed) {
        expect(failure.hint).toBeTruthy();
        expect(failure.problem).toBeTruthy();
      }
    });
  }
});
