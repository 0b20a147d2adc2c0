// One site address for the site and the alerts; an edit link only when the repository is known.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { SITE_ADDRESS, repositoryAddress } from '../../lib/site-address.ts';
import { HANDBOOK_URL } from '../../monitoring/baselines.ts';
import { ALERT_RULES, runbookUrl } from '../../monitoring/alert-rules.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

test('the alerts link into the one configured site address, which the Astro config builds for', () => {
  expect(HANDBOOK_URL).toBe(SITE_ADDRESS);
  expect(SITE_ADDRESS).toMatch(/^https:\/\/[^/]+[^/]$/);
  for (const rule of ALERT_RULES) expect(runbookUrl(rule).startsWith(`${SITE_ADDRESS}/runbooks/`)).toBe(true);
  const config = readFileSync(join(PROJECT_ROOT, 'astro.config.mjs'), 'utf8');
  expect(config).toContain("from './lib/site-address.ts'");
  expect(config).toMatch(/^\s*site: SITE_ADDRESS,$/m);
});

test('an edit link is configured only when a repository address is known', () => {
  expect(repositoryAddress({})).toBeUndefined();
  expect(repositoryAddress({ HANDBOOK_REPOSITORY_URL: 'https://git.example/team/handbook/' })).toBe('https://git.example/team/handbook');
  expect(repositoryAddress({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'storefront/handbook' })).toBe(
    'https://github.com/storefront/handbook',
  );
});
