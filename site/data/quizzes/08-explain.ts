import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm08',
  questions: [
    {
      prompt: 'What is the advantage of explaining the query builder itself?',
      code: { file: 'training/08-explain/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The plan is of the exact SQL the application runs, not of a copy that may have drifted.', correct: true },
        { text: 'It runs the query faster.' },
        { text: 'Kysely improves the plan before sending it.' },
      ],
      explanation:
        'explain() prefixes the compiled query with EXPLAIN and runs it, so the plan always matches the code. A hand-copied EXPLAIN goes stale the first time someone edits the real query.',
    },
    {
      prompt: 'Why can this query be answered without a Sort node?',
      code: { file: 'training/08-explain/solution.ts', region: 'recent-orders' },
      choices: [
        { text: 'Because the limit is small.' },
        { text: 'Because the index is on customer_id then created_at descending, so one customer\'s entries are already in the requested order.', correct: true },
        { text: 'Because PostgreSQL stores table rows sorted by created_at.' },
      ],
      explanation:
        'Within one customer_id, the composite index keeps entries ordered by created_at descending, so an index scan yields rows in that order and the Limit can stop early. On tiny tables the planner may still prefer to sort: the exercise check asks whether the index could deliver the order.',
    },
    {
      prompt: 'The plan walker collects node types depth-first. Which node of a plan runs last?',
      code: { file: 'training/08-explain/solution.ts', region: 'summarize-plan' },
      choices: [
        { text: 'The deepest child, listed last.' },
        { text: 'The top node, listed first: it consumes what its children produce.', correct: true },
        { text: 'Nodes run in the order EXPLAIN prints them, top to bottom.' },
      ],
      explanation:
        'A plan is a tree of operators: the root (for example Limit) pulls rows from its children, which pull from theirs. Scans at the leaves produce rows; the root returns the final result.',
    },
  ],
};
