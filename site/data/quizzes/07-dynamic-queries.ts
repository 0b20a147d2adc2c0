import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm07',
  questions: [
    {
      prompt: 'What does the legacy search have to get right by hand that the Kysely one does not?',
      code: { file: 'training/07-dynamic-queries/compare.ts', region: 'legacy' },
      choices: [
        { text: 'Escaping the percent signs and underscores in every pattern it builds.', why: 'Both versions must treat % and _ in a LIKE pattern the same way; that is not what Kysely takes off your hands.' },
        { text: 'Nothing at all: the two versions are equivalent in every way that matters.', why: 'They return the same rows, but only one of them can be broken by a misnumbered placeholder.' },
        { text: 'Numbering each $n placeholder in step with the params array, in every branch.', correct: true },
      ],
      explanation:
        'Every branch must push the value and use params.length as its placeholder number; one slip shifts every later parameter. Kysely numbers the placeholders itself and only accepts values as parameters.',
    },
    {
      prompt: 'How does the Kysely version choose the sort order safely?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'It maps the caller\'s choice onto one of two literal directions, asc or desc.', correct: true },
        { text: 'It passes the caller\'s sort string straight to orderBy, which escapes it.', why: 'orderBy does not escape free text; the code never lets caller text reach it.' },
        { text: 'It sorts the rows in JavaScript after the query has returned them.', why: 'The limit applies before rows leave the database, so sorting afterwards would sort the wrong page of rows.' },
      ],
      explanation:
        'The code turns the caller\'s choice into one of two literal directions, and orderBy accepts only known columns and asc or desc, so no caller text ever reaches the SQL.',
    },
    {
      prompt: 'The filter has statuses set to an empty list. What should the query do?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'Return no orders at all, because no status can match an empty list.', why: 'The OrderFilter contract says an empty list means any status, not none.' },
        { text: 'Skip the status filter, as the contract says an empty list means any status.', correct: true },
        { text: 'Throw an error, because in() needs at least one value to compile.', why: 'The $if on the list length means in() is never built with an empty list, so nothing throws.' },
      ],
      explanation:
        'The OrderFilter contract says an empty list means any status. The $if condition checks the length, so the where clause is only added when there is something to match.',
    },
    {
      prompt: 'What does .$if(condition, callback) do to the builder?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'Adds a SQL CASE expression', why: '$if never reaches the SQL as a condition: it decides in TypeScript whether the callback changes the builder.' },
        { text: 'Applies the callback only when the condition holds', correct: true },
        { text: 'Runs the query twice and keeps the result for which the condition held', why: 'Nothing runs until execute(); $if only shapes the single query.' },
      ],
      explanation: 'When the condition is false the builder is returned unchanged, so the where clause simply is not part of the compiled SQL.',
    },
    {
      prompt: 'A customer name full of \', % and _ is searched. How do the tests prove both versions handle it?',
      code: { file: 'training/07-dynamic-queries/compare.ts', region: 'kysely' },
      choices: [
        { text: 'They mock the database and check that the value is escaped.', why: 'No test here mocks the database; both versions run against PostgreSQL.' },
        { text: 'They run both with that name and require the same rows.', correct: true },
        { text: 'They check that Kysely throws an error for names containing quotes or wildcards.', why: 'Nothing throws: a quote is ordinary data when it travels as a parameter.' },
      ],
      explanation: 'The test runs every filter alone, combined, and with a hostile name, against the same seeded database, and requires the two implementations to agree.',
    },
    {
      prompt: 'Why does the query also order by id after created_at?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'PostgreSQL requires the primary key in every order by clause of a limited query.', why: 'It requires nothing of the sort; without a tiebreaker the order of equal timestamps is simply undefined.' },
        { text: 'So orders with equal timestamps come in a stable order.', correct: true },
        { text: 'To make the query use the primary key index instead of a sequential scan.', why: 'The tiebreaker is about a deterministic result, not about the plan.' },
      ],
      explanation: 'Two orders can share a created_at. Without a tiebreaker they may come back in either order, so pages with a limit could repeat or skip rows.',
    },
  ],
};
