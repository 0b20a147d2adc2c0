import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm07',
  questions: [
    {
      prompt: 'What does the legacy search have to get right by hand that the Kysely one does not?',
      code: { file: 'training/07-dynamic-queries/compare.ts', region: 'legacy' },
      choices: [
        { text: 'Numbering the $n placeholders in step with the params array, and never pasting a value into the text.', correct: true },
        { text: 'Escaping the percent signs in the pattern.' },
        { text: 'Nothing: the two are equivalent in every way.' },
      ],
      explanation:
        'Every branch must push the value and use params.length as its placeholder number; one slip shifts every later parameter. Kysely numbers the placeholders itself and only accepts values as parameters.',
    },
    {
      prompt: 'How does the Kysely version choose the sort order safely?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'It passes the caller\'s sort string to orderBy.' },
        { text: 'It maps the caller\'s choice onto a closed set of directions that the types allow.', correct: true },
        { text: 'It sorts the rows in JavaScript after the query.' },
      ],
      explanation:
        'orderBy accepts only known columns and the directions asc or desc, so the caller picks between fixed options and no caller text ever reaches the SQL.',
    },
    {
      prompt: 'The filter has statuses set to an empty list. What should the query do?',
      code: { file: 'training/07-dynamic-queries/solution.ts', region: 'search-orders' },
      choices: [
        { text: 'Return no orders, because no status matches an empty list.' },
        { text: 'Skip the status filter, as the contract says, which is what the $if on the list length does.', correct: true },
        { text: 'Throw, because in() needs at least one value.' },
      ],
      explanation:
        'The OrderFilter contract says an empty list means any status. The $if condition checks the length, so the where clause is only added when there is something to match.',
    },
  ],
};
