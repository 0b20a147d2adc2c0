import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm08',
  questions: [
    {
      prompt: 'What is the advantage of explaining the query builder itself?',
      code: { file: 'training/08-explain/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It runs the query faster, because the plan is cached on the server afterwards.', why: 'explain() does not speed anything up or cache plans; it reports the plan.' },
        { text: 'The plan is always of the exact SQL the application runs, never of a stale copy.', correct: true },
        { text: 'Kysely rewrites the query into a better plan before it sends it to PostgreSQL.', why: 'Kysely does not optimise queries; PostgreSQL\'s planner chooses the plan.' },
      ],
      explanation:
        'explain() prefixes the compiled query with EXPLAIN and runs it, so the plan always matches the code. A hand-copied EXPLAIN goes stale the first time someone edits the real query.',
    },
    {
      prompt: 'Why can this query be answered without a Sort node?',
      code: { file: 'training/08-explain/solution.ts', region: 'recent-orders' },
      choices: [
        { text: 'The index on (customer_id, created_at desc) already yields rows in that order.', correct: true },
        { text: 'Because the limit is small, and PostgreSQL never sorts fewer than a hundred rows.', why: 'A small limit does not remove a Sort; it is the index order that makes sorting unnecessary.' },
        { text: 'Because PostgreSQL stores the rows of every table sorted by their created_at.', why: 'Tables are heaps with no guaranteed order; only an index keeps entries ordered.' },
      ],
      explanation:
        'Within one customer_id, the composite index keeps entries ordered by created_at descending, so an index scan yields rows in that order and the Limit can stop early. On tiny tables the planner may still prefer to sort: the exercise check asks whether the index could deliver the order.',
    },
    {
      prompt: 'The plan walker collects node types depth-first. Which node of a plan returns the final rows?',
      code: { file: 'training/08-explain/solution.ts', region: 'summarize-plan' },
      choices: [
        { text: 'The deepest child, which the walker lists last.', why: 'The deepest nodes are scans: they produce rows for their parents, not the final result.' },
        { text: 'Whichever node EXPLAIN prints at the bottom of its output.', why: 'The bottom lines are the leaves; the final result comes from the node printed first.' },
        { text: 'The top node, which the walker lists first', correct: true },
      ],
      explanation:
        'A plan is a tree of operators: the root (for example Limit) pulls rows from its children, which pull from theirs. Scans at the leaves produce rows; the root returns the final result.',
    },
    {
      prompt: 'What does EXPLAIN ANALYZE do that plain EXPLAIN does not?',
      choices: [
        { text: 'Runs the query and adds real row counts and timings', correct: true },
        { text: 'Suggests which indexes to create', why: 'PostgreSQL has no index advisor in EXPLAIN; you read the plan and decide.' },
        { text: 'Updates the planner statistics of the tables it reads before planning', why: 'That is what the separate ANALYZE command does; EXPLAIN ANALYZE leaves statistics alone.' },
      ],
      explanation: 'Plain EXPLAIN shows the estimate without running anything. EXPLAIN ANALYZE executes the statement, so run it on a copy or in a transaction you roll back when it writes.',
    },
    {
      prompt: 'On the small test database the planner sorts instead of using the index. What should you conclude?',
      choices: [
        { text: 'The index is broken and should be dropped and created again.', why: 'Nothing is wrong with the index; on a few rows a sort is simply cheaper.' },
        { text: 'Nothing yet: judge the plan on production-sized data instead.', correct: true },
        { text: 'Kysely compiled the query wrongly, so rewrite it in raw SQL instead.', why: 'The same SQL gets the same plan whoever wrote it; the size of the data decides.' },
      ],
      explanation: 'Plans depend on table sizes and statistics. The sandbox in the operations modules has production-like data for exactly this kind of check.',
    },
    {
      prompt: 'With explain(\'json\'), where do a node\'s child operators sit?',
      code: { file: 'training/08-explain/solution.ts', region: 'explain-recent-orders' },
      choices: [
        { text: 'In a flat list of nodes, with a parent id on each one', why: 'The JSON plan is nested, not flat; children are inside their parent.' },
        { text: 'Under the key Children, next to the node\'s own Index Name', why: 'The key PostgreSQL uses is Plans; Index Name appears only on index scans.' },
        { text: 'Under the node\'s Plans array, nested inside it', correct: true },
      ],
      explanation: 'Each node object has a Node Type, index scans an Index Name, and its inputs in a Plans array: the walker recurses into it.',
    },
  ],
};
