// Turns what a test observed into the text a page shows next to the code.
// Tests store it with `await expect(text).toMatchFileSnapshot(evidencePath(...))`,
// so CI fails when the SQL a snippet compiles to, or its query count, drifts.
import { join } from 'node:path';
import type { Compilable } from 'kysely';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

/** `snippets/<topic>/evidence/<name>`, resolved from the project root. */
export function evidencePath(topic: string, name: string): string {
  return join(PROJECT_ROOT, 'snippets', topic, 'evidence', name);
}

/** The SQL Kysely compiles a query to, followed by its parameters, as shown under "SQL this runs". */
export function compiledSql(query: Compilable): string {
  const { sql, parameters } = query.compile();
  const params = parameters.length ? `\n-- parameters: ${JSON.stringify(parameters)}` : '';
  return `${sql}${params}\n`;
}

/** Query counts per variant, as shown under "queries sent". */
export function queryCounts(counts: Record<string, number>): string {
  return `${JSON.stringify(counts, null, 2)}\n`;
}

/** Statements a query counter saw on the connection, in the same format as `compiledSql`. */
export function sentSql(statements: readonly { sql: string; parameters: readonly unknown[] }[]): string {
  return statements
    .map(({ sql, parameters }) => `${sql.trim()}${parameters.length ? `\n-- parameters: ${JSON.stringify(parameters)}` : ''}\n`)
    .join('\n');
}
