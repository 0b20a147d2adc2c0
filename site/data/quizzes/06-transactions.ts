import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm06',
  questions: [
    {
      prompt: 'What happens when the callback throws?',
      code: { file: 'training/06-transactions/compare.ts', region: 'kysely' },
      choices: [
        { text: 'Kysely commits the statements that succeeded and rethrows the error.', why: 'A transaction is all or nothing: Kysely rolls back, it never commits part of one.' },
        { text: 'Kysely rolls back, returns the connection to the pool, and rethrows the error.', correct: true },
        { text: 'The transaction stays open until the pool times the idle connection out.', why: 'That is the legacy risk when release() is forgotten; Kysely always ends the transaction and returns the connection.' },
      ],
      explanation:
        'transaction().execute() commits when the callback resolves and rolls back when it rejects, then gives the connection back to the pool either way. The legacy version has to do all three by hand.',
    },
    {
      prompt: 'Inside the callback, one update is written on db instead of trx. What happens?',
      code: { file: 'training/06-transactions/solution.ts', region: 'transfer-stock' },
      choices: [
        { text: 'It runs outside the transaction and stays even after a rollback.', correct: true },
        { text: 'Nothing changes: Kysely notices the open transaction and routes it through.', why: 'Kysely has no implicit transaction context; db always takes its own connection from the pool.' },
        { text: 'TypeScript refuses to compile a db call inside a transaction callback.', why: 'db and trx have compatible types, so the compiler cannot tell; exercise 6 has a check for this mistake.' },
      ],
      explanation:
        'db takes any free connection from the pool, so that statement is its own transaction. Only statements sent through trx share the transaction. Exercise 6 has a check for exactly this mistake.',
    },
    {
      prompt: 'Why does the stock check sit in the UPDATE rather than in a select before it?',
      code: { file: 'training/06-transactions/solution.ts', region: 'transfer-stock' },
      choices: [
        { text: 'Selects are not allowed inside a transaction in PostgreSQL.', why: 'Selects are allowed anywhere; the problem is the gap between reading and writing.' },
        { text: 'It saves one round trip, and makes no other difference.', why: 'It also closes a race: with a select first, two transfers can both see enough stock.' },
        { text: 'The check and the write happen atomically, on the row the UPDATE has locked.', correct: true },
      ],
      explanation:
        'Under READ COMMITTED, a read followed by a write can act on stale data. With the condition in the UPDATE, PostgreSQL re-checks it on the locked row, so two concurrent transfers cannot both take the last units.',
    },
    {
      prompt: 'What must the legacy transaction code do in its finally block?',
      code: { file: 'training/06-transactions/compare.ts', region: 'legacy' },
      choices: [
        { text: 'Commit, so that the work done before the error is kept', why: 'finally also runs after an error, and committing then would keep half a transfer.' },
        { text: 'Release the client back to the pool, whether the work succeeded or not', correct: true },
        { text: 'Close the whole pool so that no connection is left open', why: 'Closing the pool would stop every other request; only this client must be returned.' },
      ],
      explanation: 'A client that is never released stays checked out; after enough failures the pool runs dry and every request waits. Kysely does the release for you.',
    },
    {
      prompt: 'The transfer updates the source, then finds the target product does not exist. What should the function do?',
      code: { file: 'training/06-transactions/solution.ts', region: 'transfer-stock' },
      choices: [
        { text: 'Throw inside the callback, so the source update is rolled back with it.', correct: true },
        { text: 'Return false and let the caller decide whether to undo the first update.', why: 'Returning normally commits the transaction, so the stock already taken from the source would be lost.' },
        { text: 'Insert the missing product, so that the transfer can complete anyway.', why: 'Inventing a product hides the error; the contract is all or nothing.' },
      ],
      explanation: 'Throwing makes Kysely roll back everything the callback did. One exercise check transfers to a missing product and requires the source stock to be unchanged afterwards.',
    },
    {
      prompt: 'Two flags are set in one transaction and the second violates NOT NULL. What is left in the table?',
      code: { file: 'training/06-transactions/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The first flag, since its statement succeeded before the error', why: 'Statements inside a transaction become visible only at commit; the failed transaction is rolled back as a whole.' },
        { text: 'Both, with the second one stored as NULL despite the constraint', why: 'PostgreSQL enforces NOT NULL; the statement fails and nothing of it is stored.' },
        { text: 'Neither: the error rolls back the whole transaction', correct: true },
      ],
      explanation: 'The error rolls back the whole transaction. The module\'s test checks exactly this for both the legacy and the Kysely version.',
    },
  ],
};
