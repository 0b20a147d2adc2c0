import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm06',
  questions: [
    {
      prompt: 'What happens when the callback throws?',
      code: { file: 'training/06-transactions/compare.ts', region: 'kysely' },
      choices: [
        { text: 'Kysely rolls back, releases the connection and rethrows the error.', correct: true },
        { text: 'Kysely commits what succeeded and rethrows.' },
        { text: 'The transaction stays open until the pool times it out.' },
      ],
      explanation:
        'transaction().execute() commits when the callback resolves and rolls back when it rejects, then gives the connection back to the pool either way. The legacy version has to do all three by hand.',
    },
    {
      prompt: 'Inside the callback, one update is written on db instead of trx. What happens?',
      code: { file: 'training/06-transactions/solution.ts', region: 'transfer-stock' },
      choices: [
        { text: 'Nothing changes: Kysely routes it through the transaction.' },
        { text: 'It runs on another connection, outside the transaction, and commits even if the transaction rolls back.', correct: true },
        { text: 'TypeScript refuses to compile it.' },
      ],
      explanation:
        'db takes any free connection from the pool, so that statement is its own transaction. Only statements sent through trx share the transaction. Exercise 6 has a check for exactly this mistake.',
    },
    {
      prompt: 'Why does the stock check sit in the UPDATE rather than in a select before it?',
      code: { file: 'training/06-transactions/solution.ts', region: 'transfer-stock' },
      choices: [
        { text: 'Selects are not allowed inside a transaction.' },
        { text: 'The UPDATE checks and writes atomically; a select first leaves a gap in which another transaction can take the stock.', correct: true },
        { text: 'It saves a round trip and nothing else.' },
      ],
      explanation:
        'Under READ COMMITTED, a read followed by a write can act on stale data. With the condition in the UPDATE, PostgreSQL re-checks it on the locked row, so two concurrent transfers cannot both take the last units.',
    },
  ],
};
