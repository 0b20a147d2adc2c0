import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm05',
  questions: [
    {
      prompt: 'How many queries does the level-by-level loader send?',
      code: { file: 'training/05-trees/compare.ts', region: 'legacy' },
      choices: [
        { text: 'One for every category in the subtree, however deep the tree is.', why: 'Each query loads a whole level at once, so the count follows the depth, not the number of nodes.' },
        { text: 'Always exactly two, one for the root and one for all of its descendants.', why: 'The loader cannot know all descendants in one step without recursion; it needs one query per level.' },
        { text: 'One per level of depth, plus a last one that finds no more children.', correct: true },
      ],
      explanation:
        'Each iteration loads all children of the current level with one query; the loop stops when a query returns no rows. The recorded counts on this page show it against the recursive CTE.',
    },
    {
      prompt: 'In the recursive CTE, which part runs repeatedly?',
      code: { file: 'training/05-trees/compare.ts', region: 'kysely' },
      choices: [
        { text: 'The part after unionAll, until it adds no rows.', correct: true },
        { text: 'The first select, once for every row of the categories table.', why: 'The first select is the anchor: it runs once and seeds the recursion.' },
        { text: 'The final selectFrom(\'subtree\'), once per level of the tree.', why: 'The final select reads the finished CTE once; the recursion happens inside the CTE.' },
      ],
      explanation:
        'The first select is the anchor and runs once. The unionAll branch is the recursive step: it is joined to the working set from the previous iteration, and the recursion stops when it adds no rows.',
    },
    {
      prompt: 'The legacy subtree query tracks a path array and an is_cycle flag. When is that worth it?',
      choices: [
        { text: 'Always: a recursive query without cycle detection never terminates.', why: 'On a real tree the recursion ends when a level has no children; cycle tracking is only needed if parent links can loop.' },
        { text: 'Only when the data can contain a cycle, which a real tree cannot.', correct: true },
        { text: 'Never: PostgreSQL detects cycles in recursive queries on its own.', why: 'PostgreSQL does not detect cycles unless you ask (a path array or the CYCLE clause); a looping graph recurses forever.' },
      ],
      explanation:
        'Cycle tracking costs an array per row. Storefront categories form a tree, so the Kysely version drops it. If your data could loop, PostgreSQL 14 and later also offer the CYCLE clause.',
    },
    {
      prompt: 'In breadcrumbs, which join makes the CTE walk up towards the root?',
      code: { file: 'training/05-trees/solution.ts', region: 'breadcrumbs' },
      choices: [
        { text: 'up.id = c.parent_id', why: 'That finds the children of the rows found so far: it walks down, not up.' },
        { text: 'up.parent_id = c.id', correct: true },
        { text: 'c.parent_id is null, which finds the root directly', why: 'That finds every root category, not the path from this one; the walk needs the parent of each row found so far.' },
      ],
      explanation: 'Each step joins the category whose id is the parent_id of a row already found, so every iteration moves one level up until the root, whose parent_id is null, adds nothing.',
    },
    {
      prompt: 'Why does breadcrumbs carry a hops column?',
      code: { file: 'training/05-trees/solution.ts', region: 'breadcrumbs' },
      choices: [
        { text: 'To stop the recursion after a fixed number of steps, in case the tree is very deep.', why: 'Nothing compares hops to a limit; the recursion stops at the root.' },
        { text: 'PostgreSQL requires every recursive CTE to have a numeric counter column.', why: 'A recursive CTE needs an anchor and a recursive step, not a counter.' },
        { text: 'To list the path in order from the root down to the category, since CTE rows have no order.', correct: true },
      ],
      explanation: 'A CTE\'s rows have no guaranteed order. hops counts the steps away from the starting category; ordering by it descending lists the root first.',
    },
    {
      prompt: 'How is a tree stored in the categories table?',
      choices: [
        { text: 'As a nested JSON document in a single row per top-level category', why: 'Each category is its own row; the tree is formed by the rows pointing at each other.' },
        { text: 'As an adjacency list: each row\'s parent_id references its parent', correct: true },
        { text: 'As a materialised path string such as 1/4/17 on every row', why: 'That is another way to store trees, but the Storefront schema only has parent_id.' },
      ],
      explanation: 'An adjacency list stores one link per row. Walking it needs either one query per level or a recursive CTE on the server.',
    },
  ],
};
