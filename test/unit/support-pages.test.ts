import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BASELINES, formatThreshold } from '../../monitoring/baselines.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const SUPPORT = join(PROJECT_ROOT, 'site', 'content', 'docs', 'support');
const pages = readdirSync(SUPPORT).filter((file) => file.endsWith('.mdx'));

describe('the support pages', () => {
  test('cover every page the support process needs', () => {
    for (const page of [
      'index',
      'support-tiers',
      'on-call',
      'incident-management',
      'communication-templates',
      'diagnostic-tools',
      'post-mortems',
      'continuous-improvement',
      'maintenance-schedule',
      'integrations',
      'dashboard-guide',
    ]) {
      expect(existsSync(join(SUPPORT, `${page}.mdx`)), page).toBe(true);
    }
  });

  test('never type a baseline target by hand: they render it from monitoring/baselines.ts', () => {
    for (const page of pages) {
      const text = readFileSync(join(SUPPORT, page), 'utf8');
      for (const entry of BASELINES) {
        expect(text, `${page} types "${formatThreshold(entry)}"`).not.toContain(formatThreshold(entry));
      }
    }
  });

  test('the pages that show baselines import them from the module', () => {
    for (const page of ['index.mdx', 'continuous-improvement.mdx']) {
      expect(readFileSync(join(SUPPORT, page), 'utf8')).toContain("from '../../../../monitoring/baselines.ts'");
    }
  });
});
