// The --json contract: every runbook's document, from a healthy database, a faulty one and
// a role without pg_monitor, validates against the schema its page documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test, describe, expect, admin } from '../harness/database.ts';
import { deadTuples } from '../../runbooks/drills/faults.ts';
import { RUNBOOKS } from '../../runbooks/steps/index.ts';
import { ERROR_SCHEMA, reportSchema } from '../../runbooks/kit/report-schema.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { QUICK_HEALTH_CHECK, runbook } from './run-runbook.ts';
import { createRole } from './roles.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
const SLUGS = Object.keys(RUNBOOKS);
const FAST: Record<string, string[]> = {
  'health-check': QUICK_HEALTH_CHECK,
  'cache-hit-rate': ['--window', '200ms'],
  'error-spike': ['--window', '200ms'],
};

function errorsOf(schema: object, document: unknown): string {
  const check = ajv.compile(schema);
  return check(document) ? '' : ajv.errorsText(check.errors);
}

async function report(slug: string, url: string) {
  const result = await runbook(slug, ['--json', ...(FAST[slug] ?? [])], { url });
  const document = JSON.parse(result.stdout);
  expect(errorsOf(reportSchema(slug), document), `${slug}: ${result.stdout.slice(0, 400)}`).toBe('');
  expect(document.exitCode, `${slug}: ${result.stderr}`).toBe(result.code);
  return document;
}

describe('runbook --json reports', () => {
  test.for(SLUGS)('%s: healthy and "could not see" documents match the schema on its page', async (slug, { database }) => {
    expect((await report(slug, database.url)).verdict).toBe('healthy');
    const role = await createRole(admin(), database.url, []);
    try {
      const blind = await report(slug, role.url);
      // Only the runbooks that read nothing hidden from this role may still say healthy.
      if (!['cache-hit-rate', 'error-spike'].includes(slug)) expect(blind.verdict, slug).not.toBe('healthy');
    } catch (error) {
      // slow-queries stops at a setting this role may not read: an error document, exit 4.
      if (slug !== 'slow-queries') throw error;
    } finally {
      await role.drop();
    }
    const page = readFileSync(join(PROJECT_ROOT, `site/content/docs/runbooks/${slug}.mdx`), 'utf8');
    expect(page).toContain(`<RunbookContract runbook="${slug}" part="json"`);
  });

  test('a problem found has the same envelope, with the culprit in data', async ({ database }) => {
    const fault = await deadTuples(database.url, 'orders');
    try {
      const vacuum = await report('vacuum-bloat', database.url);
      expect(vacuum).toMatchObject({ verdict: 'problem', exitCode: 1, data: { needsVacuum: ['public.orders'] } });
      const health = await report('health-check', database.url);
      expect(health.data.checks.find((check: { slug: string }) => check.slug === 'vacuum-bloat').status).toBe('problem');
    } finally {
      await fault.clear();
    }
  });

  test('a run that stops on an error prints the error document', async () => {
    const result = await runbook('lock-contention', ['--json'], { url: 'postgres://oncall:pw@127.0.0.1:1/storefront' });
    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout);
    expect(errorsOf(ERROR_SCHEMA, document)).toBe('');
  });
});
