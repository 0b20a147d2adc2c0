// A guard against N+1 regressions: run some work, count the statements it really sent
// on the pool (snippets/app/query-counter.ts), and fail when it sent more than its budget.
// The failure names the statement that repeats, which is usually the loop to fix.
import type pg from 'pg';
import { countQueries, type SentStatement } from '../app/query-counter.ts';

export class QueryBudgetExceeded extends Error {
  override name = 'QueryBudgetExceeded';
  readonly statements: readonly SentStatement[];
  constructor(budget: number, statements: readonly SentStatement[]) {
    const times = new Map<string, number>();
    for (const { sql } of statements) times.set(sql, (times.get(sql) ?? 0) + 1);
    const [sql, repeats] = [...times].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    const oneLine = sql.replace(/\s+/g, ' ').trim();
    super(
      `sent ${statements.length} queries, budget ${budget}; most repeated (${repeats}×): ${oneLine.slice(0, 100)}${oneLine.length > 100 ? '…' : ''}`,
    );
    this.statements = statements;
  }
}

// #region budget
export async function withinQueryBudget<T>(pool: pg.Pool, budget: number, work: () => Promise<T>): Promise<T> {
  const counter = countQueries(pool);
  try {
    const { result, statements } = await counter.measure(work);
    if (statements.length > budget) throw new QueryBudgetExceeded(budget, statements);
    return result;
  } finally {
    counter.detach();
  }
}
// #endregion budget
