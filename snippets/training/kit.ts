// What every exercise's checks.ts is built from, and what runs them: the CLI
// (`npm run exercise -- <n>`) and the test that proves solutions pass and starters fail.
import { AssertionError } from 'node:assert';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from '../app/database.ts';

export interface CheckContext {
  /** A Kysely instance that counts every query it sends (see `queries()`). */
  db: Kysely<Database>;
  /** A raw pg pool on the same database: checks compute the expected answer with plain SQL. */
  pool: pg.Pool;
  /** Queries sent through `db` since the check started or since `resetQueries()`. */
  queries(): number;
  resetQueries(): void;
}

export interface Check<M> {
  /** A plain sentence saying what the learner's code must do. */
  name: string;
  /** Printed when the check fails: where to look, not the answer. */
  hint: string;
  run(exercise: M, context: CheckContext): Promise<void>;
}

export interface Exercise<M> {
  number: number;
  slug: string;
  title: string;
  checks: Check<M>[];
  starter(): Promise<M>;
  solution(): Promise<M>;
}

export interface CheckResult {
  name: string;
  passed: boolean;
  hint?: string;
  /** The first line of what went wrong. */
  problem?: string;
}

export function createCheckContext(pool: pg.Pool): CheckContext {
  let count = 0;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query' || event.level === 'error') count++;
    },
  });
  return { db, pool, queries: () => count, resetQueries: () => (count = 0) };
}

const CHECK_TIMEOUT_MS = 15_000;

/** Runs every check, in order, each with its own query counter and a time limit. */
export async function runChecks<M>(exercise: Exercise<M>, variant: 'starter' | 'solution', pool: pg.Pool): Promise<CheckResult[]> {
  const module = await (variant === 'solution' ? exercise.solution() : exercise.starter());
  const results: CheckResult[] = [];
  for (const check of exercise.checks) {
    const context = createCheckContext(pool);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check.run(module, context),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new Error(`no answer after ${CHECK_TIMEOUT_MS / 1000} s (a query waiting on a lock, or a promise never settled?)`)),
            CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      results.push({ name: check.name, passed: true });
    } catch (error) {
      results.push({ name: check.name, passed: false, hint: check.hint, problem: describe(error) });
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}

function describe(error: unknown): string {
  if (error instanceof AssertionError) return error.message.split('\n')[0] ?? 'assertion failed';
  const text = error instanceof Error ? `${error.message}` : String(error);
  return text.split('\n')[0] ?? text;
}
