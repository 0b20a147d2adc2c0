import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm10',
  questions: [
    {
      prompt: 'Why is the rollback in finally?',
      code: { file: 'training/10-testing/compare.ts', region: 'kysely' },
      choices: [
        { text: 'So the writes are undone and the connection returned whether the test body passes or throws.', correct: true },
        { text: 'Because Kysely requires every transaction to end in finally.' },
        { text: 'To make the test faster.' },
      ],
      explanation:
        'A failing assertion throws. Without finally, the transaction stays open, its rows stay locked and the connection never goes back to the pool, so later tests hang or see leftovers.',
    },
    {
      prompt: 'A test replaces the pg Pool with a fake that returns canned rows. What can that test prove about the repository?',
      choices: [
        { text: 'That the SQL is valid and returns the right rows.' },
        { text: 'Only that the code passes the canned rows through; not that the SQL runs, nor what PostgreSQL would return.', correct: true },
        { text: 'Everything a real database test proves, faster.' },
      ],
      explanation:
        'The canned rows are whatever the author believed the query returns. A typo in the SQL, a wrong join or a type mismatch all pass. This project runs every data test against a real PostgreSQL for that reason.',
    },
    {
      prompt: 'A test asserts that the product with id 1 is named exactly as the seeder named it today. What is the risk?',
      choices: [
        { text: 'None, the seeder is deterministic.' },
        { text: 'It breaks on any seeder change and says nothing about the code under test; derive the expected value with a query instead.', correct: true },
        { text: 'It is slower than querying.' },
      ],
      explanation:
        'The exercise checks in this project compute the expected answer with plain SQL at check time, so they keep working when the seed data changes and still fail when the code is wrong.',
    },
  ],
};
