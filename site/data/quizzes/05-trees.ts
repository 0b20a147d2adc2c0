import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm05',
  questions: [
    {
      prompt: 'How many queries does the level-by-level loader send?',
      code: { file: 'training/05-trees/compare.ts', region: 'legacy' },
      choices: [
        { text: 'One per category in the subtree.' },
        { text: 'One per level of depth, plus one that finds no children.', correct: true },
        { text: 'Always exactly two.' },
      ],
      explanation:
        'Each iteration loads all children of the current level with one query; the loop stops when a query returns no rows. The recorded counts on this page show it against the recursive CTE.',
    },
    {
      prompt: 'In the recursive CTE, which part runs repeatedly?',
      code: { file: 'training/05-trees/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The first select, once per row of the table.' },
        { text: 'The part after unionAll, joined to the rows the previous step produced, until it produces none.', correct: true },
        { text: 'The final selectFrom subtree.' },
      ],
      explanation:
        'The first select is the anchor and runs once. The unionAll branch is the recursive step: it is joined to the working set from the previous iteration, and the recursion stops when it adds no rows.',
    },
    {
      prompt: 'The legacy subtree query tracks a path array and an is_cycle flag. When is that worth it?',
      choices: [
        { text: 'Always: a recursive query without cycle detection never terminates.' },
        { text: 'Only when the data can contain a cycle; a tree whose parent links cannot loop does not need it.', correct: true },
        { text: 'Never: PostgreSQL detects cycles on its own.' },
      ],
      explanation:
        'Cycle tracking costs an array per row. Storefront categories form a tree, so the Kysely version drops it. If your data could loop, PostgreSQL 14 and later also offer the CYCLE clause.',
    },
  ],
};
