import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm03',
  questions: [
    {
      prompt: 'Why is the active condition inside the join instead of in where()?',
      code: { file: 'training/03-joins/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It is faster but gives the same result.' },
        { text: 'In where() it would drop categories that have no active product, turning the left join into an inner join.', correct: true },
        { text: 'Kysely does not allow where() after a left join.' },
      ],
      explanation:
        'For a category without a matching product, the left join produces NULL product columns. A where condition on p.active would reject those rows, so categories with zero products would vanish instead of showing 0.',
    },
    {
      prompt: 'After a leftJoin, what type does Kysely give the joined table\'s columns?',
      code: { file: 'training/03-joins/solution.ts', region: 'customers-without-orders' },
      choices: [
        { text: 'The same as in the table: orders.id is a number.' },
        { text: 'Nullable: orders.id becomes number or null, which is what the anti-join tests.', correct: true },
        { text: 'unknown, until you cast it.' },
      ],
      explanation:
        'Kysely widens every column of a left-joined table to include null, because a row without a match has NULLs there. That is exactly what the "where orders.id is null" anti-join relies on.',
    },
    {
      prompt: 'Why count p.id rather than count all rows in the root-category query?',
      code: { file: 'training/03-joins/compare.ts', region: 'kysely' },
      choices: [
        { text: 'count of a column skips NULLs, so a category without products counts 0 instead of 1.', correct: true },
        { text: 'Counting all rows is not supported in a grouped query.' },
        { text: 'It makes no difference here.' },
      ],
      explanation:
        'A category without products still yields one joined row with a NULL p.id. Counting all rows would report 1 for it; counting p.id skips the NULL and reports 0.',
    },
  ],
};
