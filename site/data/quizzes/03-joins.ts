import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm03',
  questions: [
    {
      prompt: 'Why is the active condition inside the join instead of in where()?',
      code: { file: 'training/03-joins/compare.ts', region: 'kysely' },
      choices: [
        { text: 'It is only faster there; where() would give the same rows, a little later.', why: 'The results differ: in where() the condition removes the NULL rows that the left join produced for empty categories.' },
        { text: 'Kysely does not allow a where() call after a leftJoin in the same query.', why: 'Kysely allows where() after any join; the placement is about the result, not the builder.' },
        { text: 'In where() it would drop categories without active products.', correct: true },
      ],
      explanation:
        'For a category without a matching product, the left join produces NULL product columns. A where condition on p.active would reject those rows, so categories with zero products would vanish instead of showing 0: the left join would behave like an inner join.',
    },
    {
      prompt: 'After a leftJoin, what type does Kysely give the joined table\'s columns?',
      code: { file: 'training/03-joins/solution.ts', region: 'customers-without-orders' },
      choices: [
        { text: 'Nullable: orders.id becomes number | null, as the data can be.', correct: true },
        { text: 'The same as in the table, so orders.id is still a plain number.', why: 'A customer without orders has NULL in every orders column; Kysely reflects that in the type.' },
        { text: 'unknown, until you cast it to the type you expect the data to have.', why: 'Kysely knows the column types from the schema and only widens them with null; no cast is needed.' },
      ],
      explanation:
        'Kysely widens every column of a left-joined table to include null, because a row without a match has NULLs there. That is exactly what the "where orders.id is null" anti-join relies on.',
    },
    {
      prompt: 'Why count p.id rather than count all rows in the root-category query?',
      code: { file: 'training/03-joins/compare.ts', region: 'kysely' },
      choices: [
        { text: 'Counting all rows is not supported in a grouped query', why: 'count(*) works in any grouped query; it just counts the wrong thing here.' },
        { text: 'count(p.id) skips NULLs, so an empty category counts 0', correct: true },
        { text: 'It makes no difference to the result on this data set', why: 'It does: every empty category would show 1 instead of 0.' },
      ],
      explanation:
        'A category without products still yields one joined row with a NULL p.id. Counting all rows would report 1 for it; counting p.id skips the NULL and reports 0.',
    },
    {
      prompt: 'How do you list customers who never placed an order?',
      code: { file: 'training/03-joins/solution.ts', region: 'customers-without-orders' },
      choices: [
        { text: 'Inner join orders and keep rows where orders.id is null', why: 'An inner join drops customers without orders before the where runs, so the result is always empty.' },
        { text: 'Left join orders and keep rows where orders.id is null', correct: true },
        { text: 'Select customers and filter out those with an order in JavaScript afterwards', why: 'It works but loads every customer and every order into the application; the database can answer it in one query.' },
      ],
      explanation: 'The left join keeps every customer; those without a matching order have NULL order columns, and "is null" keeps exactly them. This is an anti-join.',
    },
    {
      prompt: 'Two joined tables both have a name column. What does the Kysely query need?',
      code: { file: 'training/03-joins/solution.ts', region: 'products-with-category' },
      choices: [
        { text: 'Nothing: Kysely renames the second name column to name_1 for you.', why: 'Kysely renames nothing; without an alias one column would overwrite the other in the result object.' },
        { text: 'Qualified column names and an alias, e.g. c.name as category, for one of them.', correct: true },
        { text: 'Two separate queries, because one result row cannot hold both names.', why: 'One row can hold both once they have different names; an alias is enough.' },
      ],
      explanation:
        'Qualify each column with its table (or table alias) and give at least one of them an alias. Kysely then types the result with both keys.',
    },
    {
      prompt: 'What does groupBy(\'status\') with countAll() return?',
      code: { file: 'training/03-joins/solution.ts', region: 'order-counts' },
      choices: [
        { text: 'One row per order, each with the total number of orders added', why: 'That would be a window function; groupBy collapses the rows into one per group.' },
        { text: 'The number of distinct statuses, as a single row', why: 'That would be count(distinct status) without a group by.' },
        { text: 'One row per status with that status\'s order count', correct: true },
      ],
      explanation: 'Grouping collapses the orders into one row per distinct status, and countAll() counts the rows in each group.',
    },
  ],
};
