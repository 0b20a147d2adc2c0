// The ten developer exercises, in order. `npm run exercise -- <number>` looks them up here.
import type { Exercise } from './kit.ts';
import { exercise as sqlToKysely } from './01-sql-to-kysely/checks.ts';
import { exercise as types } from './02-types/checks.ts';
import { exercise as joins } from './03-joins/checks.ts';
import { exercise as nPlusOne } from './04-n-plus-one/checks.ts';
import { exercise as trees } from './05-trees/checks.ts';
import { exercise as transactions } from './06-transactions/checks.ts';
import { exercise as dynamicQueries } from './07-dynamic-queries/checks.ts';
import { exercise as explain } from './08-explain/checks.ts';
import { exercise as caching } from './09-caching/checks.ts';
import { exercise as testing } from './10-testing/checks.ts';

export const exercises: Exercise<unknown>[] = [
  sqlToKysely,
  types,
  joins,
  nPlusOne,
  trees,
  transactions,
  dynamicQueries,
  explain,
  caching,
  testing,
];

export function findExercise(number: number): Exercise<unknown> | undefined {
  return exercises.find((exercise) => exercise.number === number);
}
