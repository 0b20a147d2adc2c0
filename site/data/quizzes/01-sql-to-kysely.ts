import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm01',
  questions: [
    {
      prompt: 'What does Kysely send to PostgreSQL for this lookup?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The SQL text with the email pasted between quotes.' },
        { text: 'SQL text with a numbered placeholder, and the email as a separate parameter.', correct: true },
        { text: 'A stored procedure call that Kysely created during the migration.' },
      ],
      explanation:
        'Values passed to where() never become part of the SQL text: Kysely compiles a placeholder and sends the value as a bind parameter, which is why a SKU or email full of quotes cannot change the query. The recorded compilation under "SQL this runs" on this page shows it.',
    },
    {
      prompt: 'The legacy function returns rows[0]. What does the Kysely version return when no customer has that email?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It throws a NoResultError.' },
        { text: 'An empty array.' },
        { text: 'undefined, and its type says so.', correct: true },
      ],
      explanation:
        'executeTakeFirst resolves to the first row or undefined, and its return type includes undefined, so the compiler makes callers handle the missing case. executeTakeFirstOrThrow is the variant that throws.',
    },
    {
      prompt: 'You want to see the SQL a Kysely query will run, without running it. What do you call?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'compile-only' },
      choices: [
        { text: 'compile(), which returns the SQL text and its parameters.', correct: true },
        { text: 'execute() inside a transaction that is rolled back.' },
        { text: 'explain(), which returns the SQL text.' },
      ],
      explanation:
        'compile() builds the query and returns its sql and parameters without a database round trip. explain() does run EXPLAIN on the server and returns the plan, not the text.',
    },
  ],
};
