import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ALERT_RULES } from '../../monitoring/alert-rules.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const RUNBOOK_PAGES = join(PROJECT_ROOT, 'site', 'content', 'docs');

/** The source file Starlight builds a path like /runbooks/slow-queries/ from. */
export function pageSource(path: string): string | undefined {
  const slug = path.replace(/^\/|\/$/g, '');
  return [`${slug}.mdx`, `${slug}.md`, `${slug}/index.mdx`, `${slug}/index.md`]
    .map((file) => join(RUNBOOK_PAGES, file))
    .find((file) => existsSync(file));
}

const targets = [...new Set(ALERT_RULES.map((rule) => rule.runbook))];

describe('every alert leads to a runbook page', () => {
  test.each(ALERT_RULES.map((rule) => [rule.name, rule.runbook] as const))(
    '%s links to %s, which exists under site/content/docs/runbooks/',
    (_, runbook) => {
      expect(runbook).toMatch(/^\/runbooks\/[a-z0-9-]+\/$/);
      expect(pageSource(runbook), `no page source for ${runbook}`).toBeDefined();
    },
  );

  test.each(targets)('the page %s names every alert that links to it', (runbook) => {
    const source = pageSource(runbook);
    expect(source, `no page source for ${runbook}`).toBeDefined();
    const text = readFileSync(source!, 'utf8');
    for (const rule of ALERT_RULES.filter((candidate) => candidate.runbook === runbook)) {
      expect(text, `${runbook} does not mention ${rule.name}`).toContain(rule.name);
    }
  });
});
