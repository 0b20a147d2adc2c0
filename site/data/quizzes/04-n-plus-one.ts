import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm04',
  questions: [
    {
      prompt: 'How many queries does this function send for 10 orders?',
      code: { file: 'training/04-n-plus-one/compare.ts', region: 'legacy' },
      choices: [
        { text: 'One, because the pg Pool batches the queries of a loop into one round trip.', why: 'The pool does not batch: each awaited query is its own round trip.' },
        { text: 'Eleven: one for the orders, then one per order for its customer.', correct: true },
        { text: 'Two: one query for the orders and one for all of their customers.', why: 'That is what the fixed version sends. The loop asks for each customer separately.' },
      ],
      explanation:
        'The loop awaits a query per order, so 10 orders cost 1 + 10 round trips. The test counts them on the connection: the "queries sent" table on this page is that measurement.',
    },
    {
      prompt: 'What does jsonObjectFrom do in this query?',
      code: { file: 'training/04-n-plus-one/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It runs a second query for each order, like the loop, but all of them in parallel.', why: 'Nothing runs per order on the client: the subquery is part of the one SQL statement.' },
        { text: 'It parses a JSON column that is stored in the orders table.', why: 'No column holds JSON here; the JSON is built by PostgreSQL from the customers table as the query runs.' },
        { text: 'It nests each order\'s customer as a JSON object within the same single query.', correct: true },
      ],
      explanation:
        'jsonObjectFrom wraps a correlated subquery in PostgreSQL JSON functions. PostgreSQL evaluates it per row on the server and the driver receives one result set, with the customer already nested.',
    },
    {
      prompt: 'In the batch-loading solution, why return early when there are no orders?',
      code: { file: 'training/04-n-plus-one/solution.ts', region: 'batch-load' },
      choices: [
        { text: 'An empty in () is invalid SQL, and the query would be wasted.', correct: true },
        { text: 'Kysely caches empty results and would return stale rows on the next call.', why: 'Kysely has no result cache; every execute() goes to the database.' },
        { text: 'To keep the number of queries under the limit of three the check sets.', why: 'With no orders the second query would not add rows, but the real reason is that "in ()" is rejected by PostgreSQL.' },
      ],
      explanation:
        'A where ... in with an empty array would compile to "in ()", which PostgreSQL rejects. Skipping the second query also saves a round trip for customers without orders.',
    },
    {
      prompt: 'Which code smell points to an N+1?',
      choices: [
        { text: 'A query that joins more than three tables in one statement', why: 'A big join is one round trip; N+1 is about the number of queries, not their size.' },
        { text: 'An await of a query inside a loop over the rows of another query', correct: true },
        { text: 'A select that lists every column instead of the ones it needs', why: 'Selecting too much wastes bytes but sends one query; it is a different problem.' },
      ],
      explanation: 'A query per element of an earlier result grows the round trips with the data: 1 query for the list plus N for its elements.',
    },
    {
      prompt: 'The batch version loads customers with where id in (...). What does the code do next?',
      code: { file: 'training/04-n-plus-one/solution.ts', region: 'batch-load' },
      choices: [
        { text: 'It sends one more query per order to check that each customer exists.', why: 'That would bring the N+1 back; the batch result already holds every customer needed.' },
        { text: 'It relies on PostgreSQL to return the customers in the same order as the ids.', why: 'An in-list does not order the result; the code must match rows by id.' },
        { text: 'It maps the customers by id and attaches the matching one to each order in JavaScript.', correct: true },
      ],
      explanation: 'Two queries in total: one for the orders, one for all their customers. Grouping by id in JavaScript puts them back together, whatever the number of orders.',
    },
    {
      prompt: 'Why is N+1 slow even when each query takes well under a millisecond on the server?',
      choices: [
        { text: 'Each query pays a full round trip, and N of them add up.', correct: true },
        { text: 'PostgreSQL locks the orders table for the whole duration of the loop.', why: 'Plain selects take no locks that block each other; the cost is the number of round trips.' },
        { text: 'Every query in the loop opens a new connection to the server.', why: 'A pool reuses connections; even with a warm connection each query waits for its own round trip.' },
      ],
      explanation:
        'Latency per query (network, parsing, scheduling) is paid N times. The relations benchmark on the guide measures the loop against one query as N grows.',
    },
  ],
};
