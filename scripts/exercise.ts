// `npm run exercise -- <number> [--solution]`: checks a training exercise against a
// real, freshly migrated and seeded PostgreSQL, and prints a hint for each failure.
// Exit codes: 0 every check passed, 1 a check failed, 2 bad usage, 3 no database.
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDatabase, DatabaseUnavailableError, type ResolvedDatabase } from '../lib/db/resolve-database.ts';
import { createPool, withDatabaseName } from '../lib/db/connect.ts';
import { createDatabase as createKysely } from '../snippets/setup/create-database.ts';
import { migrateToLatest } from '../snippets/app/migrate.ts';
import { seedStorefront } from '../snippets/app/seed.ts';
import { exercises, findExercise } from '../snippets/training/exercises.ts';
import { runChecks } from '../snippets/training/kit.ts';

const USAGE = `Usage: npm run exercise -- <number> [--solution]

  <number>     the exercise to check, 1 to ${exercises.length}
  --solution   check the reference solution instead of your starter.ts

Exercises:
${exercises.map((e) => `  ${String(e.number).padStart(2)}  ${e.title}  (snippets/training/${e.slug}/starter.ts)`).join('\n')}`;

function usage(problem?: string): never {
  if (problem) console.error(`exercise: ${problem}\n`);
  console.error(USAGE);
  process.exit(problem ? 2 : 0);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { solution: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  usage((error as Error).message);
}
if (parsed.values.help) usage();
if (parsed.positionals.length !== 1)
  usage(parsed.positionals.length ? 'give exactly one exercise number' : 'which exercise? give its number');
const wanted = parsed.positionals[0]!;
const exercise = /^\d{1,2}$/.test(wanted) ? findExercise(Number(wanted)) : undefined;
if (!exercise) usage(`there is no exercise "${wanted}"`);
const variant = parsed.values.solution ? 'solution' : 'starter';
const file = `snippets/training/${exercise.slug}/${variant}.ts`;

let server: ResolvedDatabase;
try {
  server = await resolveDatabase({ log: (line) => console.log(line) });
} catch (error) {
  console.error(error instanceof DatabaseUnavailableError ? error.message : `exercise: ${(error as Error).message}`);
  process.exit(3);
}

// A throwaway database per run: the checks may write, and your next run starts clean.
const name = `exercise_${exercise.number}_${randomBytes(4).toString('hex')}`;
const admin = createPool(server.url, 1);
let failed = 0;
try {
  await admin.query(`create database ${name}`);
  const pool = createPool(withDatabaseName(server.url, name), 5);
  try {
    const db = createKysely(pool);
    await migrateToLatest(db);
    await seedStorefront(db);
    console.log(`\nExercise ${exercise.number}: ${exercise.title}\nChecking ${relative(process.cwd(), file) || file}\n`);
    const results = await runChecks(exercise, variant, pool);
    for (const result of results) {
      if (result.passed) {
        console.log(`  ✓ ${result.name}`);
      } else {
        failed++;
        console.log(`  ✗ ${result.name}\n      problem: ${result.problem}\n      hint:    ${result.hint}`);
      }
    }
    console.log(`\n${results.length - failed} of ${results.length} checks passed.`);
    if (failed === 0) console.log('Well done. Compare with the solution: snippets/training/' + exercise.slug + '/solution.ts');
  } finally {
    await pool.end();
  }
} catch (error) {
  console.error(`exercise: could not prepare the database: ${(error as Error).message}`);
  failed = -1;
} finally {
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
  await server.stop();
}
process.exit(failed === -1 ? 3 : failed > 0 ? 1 : 0);
