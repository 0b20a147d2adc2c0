// Every internal link in the built HTML. The links validator checks Markdown links only; this
// covers every link on every page, including those that components render (hero actions, runbook
// steps, generated tables). It reads the build's files; no page is opened.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtHtml } from '../../../scripts/site/built-site.ts';
import { hasChromium, pages, siteDir, testChromiumIsAvailable } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('internal links', () => {
  test('every internal link on every page leads to a built page, and every #anchor exists there', () => {
    const idsOf = new Map<string, Set<string>>();
    const ids = (path: string) => {
      if (!idsOf.has(path)) idsOf.set(path, new Set([...builtHtml(path, siteDir).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
      return idsOf.get(path)!;
    };
    const broken: string[] = [];
    for (const { path, html } of pages) {
      for (const [, href] of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
        if (!href || /^[a-z]+:/i.test(href) || href.startsWith('//')) continue;
        const url = new URL(href.replace(/&amp;/g, '&'), `http://site${path}`);
        const target = url.pathname;
        const isPage = target.endsWith('/');
        const file = isPage ? join(siteDir, decodeURIComponent(target), 'index.html') : join(siteDir, decodeURIComponent(target));
        if (!existsSync(file)) {
          broken.push(`${path} → ${href} (no such page)`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && isPage && !ids(target).has(fragment)) broken.push(`${path} → ${href} (no #${fragment} there)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
