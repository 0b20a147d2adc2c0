// The typed runbook contract. A runbook's `args` is typed by the flag specs it declares and its
// `diagnosis.data` by what its diagnose returns, so a misspelled flag or data field does not
// compile. The compiler checks the first half of this file: tsc compiles test/
// (`npm run typecheck`, `npx tsc --noEmit -p tsconfig.json`), and each @ts-expect-error below
// must meet an error, or tsc fails with "Unused '@ts-expect-error' directive": if a misspelling
// ever compiled, this file would stop compiling. vitest runs the second half: the parser
// produces at run time what those types promise, and the CLI runs the steps the page shows.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { parseRunbookArgs } from '../../runbooks/kit/args.ts';
import { COMMON_FLAGS, type FlagSpec, type RunbookArgs } from '../../runbooks/kit/contract.ts';
import { defineRunbook, type RunbookData } from '../../runbooks/kit/definition.ts';
import { cacheHitRate } from '../../runbooks/logic/cache-hit-rate.ts';
import { connectionSaturation } from '../../runbooks/logic/connection-saturation.ts';
import { errorSpike } from '../../runbooks/logic/error-spike.ts';
import { CHECKS, healthCheck } from '../../runbooks/logic/health-check.ts';
import { lockContention } from '../../runbooks/logic/lock-contention.ts';
import { rollback } from '../../runbooks/logic/rollback.ts';
import { slowQueries } from '../../runbooks/logic/slow-queries.ts';
import { vacuumBloat } from '../../runbooks/logic/vacuum-bloat.ts';
import { walGrowth } from '../../runbooks/logic/wal-growth.ts';
import { FLAGS as DATABASE_DOWN_FLAGS } from '../../runbooks/steps/database-down.ts';
import { CHECKED } from '../../runbooks/steps/health-check.ts';
import { RUNBOOKS } from '../../runbooks/steps/index.ts';
import { lockContention as lockContentionData } from '../../runbooks/steps/lock-contention.ts';

type LockArgs = RunbookArgs<typeof lockContention.flags>;
/** What lock-contention's remediate receives: the diagnosis its diagnose returned. */
type LockDiagnosis = Parameters<NonNullable<typeof lockContention.remediate>>[2];
type RollbackArgs = RunbookArgs<typeof rollback.flags>;

// #region compile-errors
/** Never called: tsc checks that each line below is an error. */
export function misuses(args: LockArgs, diagnosis: LockDiagnosis): unknown[] {
  return [
    // @ts-expect-error -- "min-wiat" is not a flag of lock-contention: a misspelled flag does not compile
    args['min-wiat'],
    // @ts-expect-error -- --table is a flag of vacuum-bloat, not of lock-contention
    args.table,
    // @ts-expect-error -- --min-wait is a duration, parsed to milliseconds: a number, not a string
    args['min-wait'].toUpperCase(),
    // @ts-expect-error -- lock-contention's diagnosis data has `roots`, not `rootz`
    diagnosis.data.rootz,
    // @ts-expect-error -- a root blocker's PID is a number
    diagnosis.data.roots[0]?.pid.toUpperCase(),
  ];
}

/** The same inside a definition: `Data` is inferred from diagnose and flows into remediate. */
export const misspelledDefinition = defineRunbook(lockContentionData, {
  diagnose: (_session, args) =>
    Promise.resolve({
      healthy: true,
      findings: [],
      summary: '',
      next: '',
      // @ts-expect-error -- "max-signal" is misspelled (the flag is --max-signals)
      data: { roots: [args['min-wait']], cap: args['max-signal'] },
    }),
  remediate: (_session, _args, diagnosis) => {
    // @ts-expect-error -- this diagnose returned `roots`, so `rootz` does not exist
    const wrong: unknown = diagnosis.data.rootz;
    return Promise.resolve({ actions: [...diagnosis.data.roots.map(String), String(wrong)] });
  },
});
// #endregion compile-errors

describe('the runbook contract', () => {
  test('each flag is typed by its spec, the common flags too', () => {
    expectTypeOf<LockArgs['min-wait']>().toEqualTypeOf<number>();
    expectTypeOf<LockArgs['max-signals']>().toEqualTypeOf<number>();
    expectTypeOf<LockArgs['prometheus-url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RollbackArgs['migration']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RollbackArgs['keep-schema']>().toEqualTypeOf<boolean>();
    expectTypeOf<RunbookArgs<typeof vacuumBloat.flags>['table']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RunbookArgs<typeof slowQueries.flags>['explain-pid']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<RunbookArgs<typeof errorSpike.flags>['metrics-url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LockArgs['database-url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LockArgs['audit-log']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LockArgs['statement-timeout']>().toEqualTypeOf<number>();
    expectTypeOf<LockArgs['execute']>().toEqualTypeOf<boolean>();
    // No index signature: only declared names are keys.
    expectTypeOf<string>().not.toExtend<keyof LockArgs>();
  });

  test("each runbook's diagnosis data is typed by what its diagnose returns", () => {
    expectTypeOf<LockDiagnosis['data']['roots'][number]['pid']>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<NonNullable<typeof rollback.remediate>>[2]['data']['missingTables']>().toEqualTypeOf<string[]>();
    expectTypeOf<
      Parameters<NonNullable<typeof connectionSaturation.remediate>>[2]['data']['idleInTransaction'][number]['pid']
    >().toEqualTypeOf<number>();
  });

  test('the data of each runbook keeps its flag types, and the site reads them as FlagSpecs', () => {
    expectTypeOf(lockContentionData.flags[0].name).toEqualTypeOf<'min-wait'>();
    expectTypeOf(RUNBOOKS).toEqualTypeOf<Record<string, RunbookData>>();
    expectTypeOf(lockContentionData).toExtend<RunbookData>();
  });

  const runnable = [
    healthCheck,
    slowQueries,
    lockContention,
    connectionSaturation,
    cacheHitRate,
    errorSpike,
    vacuumBloat,
    rollback,
    walGrowth,
  ];

  test('the parser gives every runbook the values its types promise', () => {
    const all: [string, readonly FlagSpec[]][] = [
      ...Object.values(RUNBOOKS).map((runbook): [string, readonly FlagSpec[]] => [runbook.slug, runbook.flags]),
      ['database-down', DATABASE_DOWN_FLAGS],
    ];
    for (const [slug, flags] of all) {
      const args: Record<string, unknown> = parseRunbookArgs([], flags);
      const specs: readonly FlagSpec[] = [...flags, ...COMMON_FLAGS];
      expect(Object.keys(args).sort(), slug).toEqual(specs.map((spec) => spec.name).sort());
      for (const spec of specs) {
        const expected =
          spec.type === 'boolean'
            ? 'boolean'
            : spec.default === undefined
              ? 'undefined'
              : ['duration', 'count', 'pid'].includes(spec.type)
                ? 'number'
                : 'string';
        expect(typeof args[spec.name], `${slug} --${spec.name}`).toBe(expected);
      }
    }
    const given = parseRunbookArgs(['--min-wait', '250ms', '--max-signals', '2', '--execute'], lockContention.flags);
    expect([given['min-wait'], given['max-signals'], given.execute, given.yes, given['prometheus-url']]).toEqual([
      250,
      2,
      true,
      false,
      undefined,
    ]);
  });

  test('the CLI runs the very steps the page renders, for every runbook', () => {
    expect(runnable.map((runbook) => runbook.slug).sort()).toEqual(Object.keys(RUNBOOKS).sort());
    for (const runbook of runnable) {
      const shown = RUNBOOKS[runbook.slug]!;
      expect(runbook.flags, runbook.slug).toBe(shown.flags);
      expect(runbook.steps.length, runbook.slug).toBe(shown.steps.length);
      runbook.steps.forEach((step, i) => expect(step, `${runbook.slug} step ${i + 1}`).toBe(shown.steps[i]));
    }
  });

  test('the health check runs the runbooks whose steps its page shows, in the same order', () => {
    expect(CHECKS.map((check) => check.runbook.slug)).toEqual(CHECKED.map((runbook) => runbook.slug));
  });
});
