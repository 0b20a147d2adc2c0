// Verification badges in the built HTML: exactly the pages that show snippets carry one
// (site/lib/verification-badge.ts decides which), naming a commit that exists. It reads the
// build's files; no page is opened.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';
import { pageShowsSnippets } from '../../../site/lib/verification-badge.ts';
import { hasChromium, pages, testChromiumIsAvailable } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('verification badges', () => {
  const docsDir = join(PROJECT_ROOT, 'site/content/docs');
  const sources = (function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : /\.mdx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
    );
  })(docsDir);
  const urlOf = (file: string) => {
    const slug = relative(docsDir, file)
      .replace(/\.mdx?$/, '')
      .replace(/(^|\/)index$/, '');
    return slug ? `/${slug.toLowerCase()}/` : '/';
  };

  test('exactly the pages that show snippets carry a badge, naming a real commit', () => {
    for (const file of sources) {
      const path = urlOf(file);
      const info = pages.find((candidate) => candidate.path === path);
      if (!info) continue;
      const body = readFileSync(file, 'utf8');
      const badge = /<p[^>]*data-verification-badge="(\w+)"[^>]*>/.exec(info.html);
      const expected = pageShowsSnippets(body, relative(PROJECT_ROOT, file));
      expect
        .soft(Boolean(badge), `${path} ${expected ? 'shows snippets but has no' : 'shows no snippets but has a'} verification badge`)
        .toBe(expected);
      if (!badge) continue;
      const commit = /data-commit="([0-9a-f]*)"/.exec(badge[0])?.[1] ?? '';
      expect
        .soft(
          () => execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: PROJECT_ROOT, stdio: 'ignore' }),
          `${path} badge commit "${commit}"`,
        )
        .not.toThrow();
      if (badge[1] === 'verified') expect.soft(/data-postgres="\d+/.test(badge[0]), `${path} badge names PostgreSQL versions`).toBe(true);
    }
  });
});
