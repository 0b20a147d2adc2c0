import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm10',
  questions: [
    {
      prompt: 'Why is the rollback in finally?',
      code: { file: 'training/10-testing/compare.ts', region: 'kysely' },
      choices: [
        { text: 'Because Kysely requires every controlled transaction to end inside a finally block.', why: 'Kysely requires nothing of the kind; finally is about what happens when the test fails.' },
        { text: 'So the rollback and release run whether the test body passes or throws.', correct: true },
        { text: 'To make the test faster by skipping the commit at the end of each test.', why: 'Rolling back instead of committing is the point of the helper, but finally is what makes it happen after a failure too.' },
      ],
      explanation:
        'A failing assertion throws. Without finally, the transaction stays open, its rows stay locked and the connection never goes back to the pool, so later tests hang or see leftovers.',
    },
    {
      prompt: 'A test replaces the pg Pool with a fake that returns canned rows. What can that test prove about the repository?',
      choices: [
        { text: 'That the SQL is valid and returns the right rows.', why: 'The fake never parses the SQL: a typo or a wrong join passes just the same.' },
        { text: 'Everything a real database test proves, only faster.', why: 'It proves only what the author already believed the query returns.' },
        { text: 'Only that the code passes the canned rows through.', correct: true },
      ],
      explanation:
        'The canned rows are whatever the author believed the query returns. A typo in the SQL, a wrong join or a type mismatch all pass. This project runs every data test against a real PostgreSQL for that reason.',
    },
    {
      prompt: 'A test asserts that the product with id 1 is named exactly as the seeder named it today. What is the risk?',
      choices: [
        { text: 'It breaks on seed changes and proves nothing about the code.', correct: true },
        { text: 'None at all: the seeder is deterministic, so the name can never change.', why: 'Deterministic for one version of the seeder; the next change to it breaks the test without a bug in the code.' },
        { text: 'It is slower than computing the expected name with a query at test time.', why: 'Speed is not the issue: a literal is fast, it is just the wrong thing to compare with.' },
      ],
      explanation:
        'The exercise checks in this project compute the expected answer with plain SQL at check time, so they keep working when the seed data changes and still fail when the code is wrong.',
    },
    {
      prompt: 'How does each test file in this project get a database of its own?',
      choices: [
        { text: 'Every file runs the migrations and the seeder from scratch before its tests.', why: 'That would take seconds per file; the template is migrated and seeded once per run.' },
        { text: 'A clone of one template database that was migrated and seeded once per run.', correct: true },
        { text: 'All files share one database and delete their rows when they finish.', why: 'Shared mutable rows make results depend on order; each file gets its own clone instead.' },
      ],
      explanation: 'test/harness migrates and seeds one template per run; each file gets CREATE DATABASE … TEMPLATE, dropped when the file ends, and the run fails if one is left behind.',
    },
    {
      prompt: 'What does countRows help a test detect?',
      code: { file: 'training/10-testing/solution.ts', region: 'count-rows' },
      choices: [
        { text: 'Tables that have more rows than the seeder wrote, because of a seeder bug', why: 'It compares counts before and after the code under test; the seeder is not what it checks.' },
        { text: 'Rows left behind by a test that should have rolled back', correct: true },
        { text: 'Slow queries, by timing a count(*) on each table', why: 'It does not time anything; it counts rows.' },
      ],
      explanation: 'Counting the tables before and after a test shows whether its writes leaked out of the rollback.',
    },
    {
      prompt: 'How does the project prove the Kysely repository behaves like the legacy one?',
      choices: [
        { text: 'A reviewer compares the SQL of the two by eye.', why: 'Reading is not proof; the equivalence test runs both.' },
        { text: 'Unit tests with a mocked pool check each repository against the same canned rows.', why: 'Mocks cannot show that two pieces of SQL return the same data.' },
        { text: 'One test runs both on the same data and compares.', correct: true },
      ],
      explanation: 'test/snippets/app/repository-equivalence.test.ts runs the legacy and the Kysely repository side by side on the same seeded database and requires identical results.',
    },
  ],
};
