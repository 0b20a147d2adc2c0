// The saved JIRA filter on the continuous-improvement page is pasted into JIRA as is;
// JIRA rejects an operator a field does not support, so the filter is checked here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const PAGE = join(PROJECT_ROOT, 'site/content/docs/support/continuous-improvement.mdx');

/** Operators JIRA accepts on the labels field (it has no ~, and no wildcards in values). */
const LABEL_OPERATORS = new Set(['=', '!=', 'in', 'not in', 'is', 'is not']);

function savedFilter(page: string): string {
  const match = /Saved filter \*\*"[^"]+"\*\*: `([^`]+)`/.exec(page);
  if (!match) throw new Error('no saved filter found on the page');
  return match[1]!;
}

/** Every `labels <operator> <value>` clause of a JQL query. */
function labelClauses(jql: string): { operator: string; value: string }[] {
  const clauses: { operator: string; value: string }[] = [];
  const pattern = /\blabels\s+(not in|is not|!=|=|in|is|~|!~)\s*(\([^)]*\)|"[^"]*"|\S+)/gi;
  for (const match of jql.matchAll(pattern)) clauses.push({ operator: match[1]!.toLowerCase(), value: match[2]! });
  return clauses;
}

describe('the continuous-improvement JIRA filter', () => {
  const page = readFileSync(PAGE, 'utf8');
  const jql = savedFilter(page);

  test('uses only operators JIRA supports on labels, with whole labels', () => {
    const clauses = labelClauses(jql);
    expect(clauses.length).toBeGreaterThan(0);
    for (const clause of clauses) {
      expect(LABEL_OPERATORS.has(clause.operator), `labels ${clause.operator} is not valid JQL`).toBe(true);
      expect(clause.value, 'JQL labels take no wildcards').not.toContain('*');
    }
  });

  test('finds every label the page tells people to put on an action item', () => {
    const listed = new Set(
      labelClauses(jql).flatMap((clause) =>
        clause.value
          .replace(/[()"]/g, '')
          .split(',')
          .map((label) => label.trim()),
      ),
    );
    for (const label of ['postmortem', 'ops-review', 'baseline-review']) {
      expect(page).toContain(`\`${label}\``);
      expect(listed.has(label), `${label} is not in the saved filter`).toBe(true);
    }
  });
});
