import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm04',
  questions: [
    {
      prompt: 'How many queries does this function send for 10 orders?',
      code: { file: 'training/04-n-plus-one/compare.ts', region: 'legacy' },
      choices: [
        { text: 'One.' },
        { text: 'Two: one for the orders, one for the customers.' },
        { text: 'Eleven: one for the orders and one per order for its customer.', correct: true },
      ],
      explanation:
        'The loop awaits a query per order, so 10 orders cost 1 + 10 round trips. The test counts them on the connection: the "queries sent" table on this page is that measurement.',
    },
    {
      prompt: 'What does jsonObjectFrom do in this query?',
      code: { file: 'training/04-n-plus-one/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It runs a second query for each order, like the loop, but in parallel.' },
        { text: 'It nests a correlated subquery that returns the customer as a JSON object, so everything comes back in one query.', correct: true },
        { text: 'It parses a JSON column stored in the orders table.' },
      ],
      explanation:
        'jsonObjectFrom wraps a subquery in PostgreSQL JSON functions. PostgreSQL evaluates it per row on the server and the driver receives one result set, with the customer already nested.',
    },
    {
      prompt: 'In the batch-loading solution, why return early when there are no orders?',
      code: { file: 'training/04-n-plus-one/solution.ts', region: 'batch-load' },
      choices: [
        { text: 'An in() with an empty list is not valid SQL, and the second query would be wasted anyway.', correct: true },
        { text: 'Kysely caches empty results and would return stale lines.' },
        { text: 'To keep the query count under three.' },
      ],
      explanation:
        'A where ... in with an empty array would compile to "in ()", which PostgreSQL rejects. Skipping the second query also saves a round trip for customers without orders.',
    },
  ],
};
