import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm01',
  questions: [
    {
      prompt: 'What does Kysely send to PostgreSQL for this lookup?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The SQL text with the email escaped and pasted between quotes.', why: 'Kysely never pastes a value into the SQL text, escaped or not: escaping is exactly the fragile step parameters remove.' },
        { text: 'SQL with a numbered placeholder, and the email as a separate parameter.', correct: true },
        { text: 'A call to a stored procedure that the database migration created for this lookup.', why: 'Kysely is a query builder: it compiles plain SELECT statements at run time and creates nothing in the database.' },
      ],
      explanation:
        'Values passed to where() never become part of the SQL text: Kysely compiles a placeholder and sends the value as a bind parameter, which is why a SKU or email full of quotes cannot change the query. The recorded compilation under "SQL this runs" on this page shows it.',
    },
    {
      prompt: 'The legacy function returns rows[0]. What does the Kysely version return when no customer has that email?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It throws a NoResultError that the caller has to catch.', why: 'That is executeTakeFirstOrThrow. This function calls executeTakeFirst, which does not throw on an empty result.' },
        { text: 'An empty array, like the rows property of a pg result.', why: 'execute() returns an array; executeTakeFirst returns a single row or nothing, never an array.' },
        { text: 'undefined, and the return type includes undefined for callers.', correct: true },
      ],
      explanation:
        'executeTakeFirst resolves to the first row or undefined, and its return type includes undefined, so the compiler makes callers handle the missing case. executeTakeFirstOrThrow is the variant that throws.',
    },
    {
      prompt: 'You want to see the SQL a Kysely query will run, without running it. What do you call?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'compile-only' },
      choices: [
        { text: 'compile(): it returns the SQL and its parameters.', correct: true },
        { text: 'execute() inside a transaction that you then roll back.', why: 'That runs the query on the server (and any side effects until the rollback); it does not give you the SQL text.' },
        { text: 'explain(), which returns the SQL text without a round trip.', why: 'explain() does make a round trip: it runs EXPLAIN on the server and returns the plan, not the text.' },
      ],
      explanation:
        'compile() builds the query and returns its sql and parameters without a database round trip. explain() does run EXPLAIN on the server and returns the plan, not the text.',
    },
    {
      prompt: 'A column name is misspelled inside the legacy SQL string. When does the team find out?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'legacy' },
      choices: [
        { text: 'When TypeScript compiles the repository file.', why: 'To TypeScript the SQL is just a string; it has no idea which columns exist.' },
        { text: 'When the query first runs and PostgreSQL rejects it.', correct: true },
        { text: 'When the pg Pool validates the query on connect.', why: 'The pool only opens connections; it never parses or checks the SQL you send later.' },
      ],
      explanation:
        'Only PostgreSQL knows the schema the string refers to, so the mistake surfaces at run time, in the first test or request that runs the query. The Kysely version names columns as typed identifiers, so the same typo is a compile error.',
    },
    {
      prompt: 'Which call returns every matching row?',
      choices: [
        { text: 'executeTakeFirstOrThrow(), which throws when there are none', why: 'It returns only the first row (and throws when there is none), not all of them.' },
        { text: 'executeTakeFirst()', why: 'It returns the first row or undefined, never the rest.' },
        { text: 'execute(), which resolves to an array of all rows', correct: true },
      ],
      explanation: 'execute() resolves to an array of every row; the TakeFirst variants return one row, or undefined, or throw.',
    },
    {
      prompt: 'A SKU arrives as a string full of single quotes. Why is the Kysely lookup still safe?',
      code: { file: 'training/01-sql-to-kysely/compare.ts', region: 'kysely' },
      choices: [
        { text: 'Kysely escapes quotes with a regular expression before sending.', why: 'Kysely does not escape values into the text at all; it sends them apart from it.' },
        { text: 'The value travels as a bind parameter, apart from the SQL text.', correct: true },
        { text: 'PostgreSQL rejects SKUs that contain quotes.', why: 'A SKU column is text: PostgreSQL stores quotes like any other character. Safety comes from how the value is sent.' },
      ],
      explanation:
        'With a parameter, PostgreSQL parses the SQL first and only then receives the value, so no content of the value can change the statement. The exercise checks try a SKU full of quotes for this reason.',
    },
  ],
};
