// Where the handbook is published, defined once. astro.config.mjs builds the site for this
// address (canonical links, sitemap, llms.txt) and every alert's runbook_url points into it
// (monitoring/baselines.ts re-exports it as HANDBOOK_URL). The `pages` job of
// .github/workflows/ci.yml publishes the build; point this host's DNS at Pages (a custom
// domain) so the address and the published site agree. No trailing slash.
export const SITE_ADDRESS = 'https://handbook.storefront.example';

/**
 * The repository the pages are edited in, for the "Edit page" link, e.g.
 * 'https://github.com/storefront/migration-handbook'. Undefined means no edit link.
 * HANDBOOK_REPOSITORY_URL overrides it; on GitHub Actions the repository the build runs in is used.
 */
export function repositoryAddress(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.HANDBOOK_REPOSITORY_URL) return env.HANDBOOK_REPOSITORY_URL.replace(/\/+$/, '');
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  return undefined;
}
