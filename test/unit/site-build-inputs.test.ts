// The browser suite reuses a test build only while nothing the build reads has changed.
// A page imports monitoring/, scripts/ and public/ as well as site/: each must count.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { inputsFingerprint } from '../../scripts/site/built-site.ts';

const root = mkdtempSync(join(tmpdir(), 'handbook-inputs-'));
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the site build fingerprint', () => {
  write('site/content/docs/index.mdx', '# Home');
  write('monitoring/baselines.ts', 'export const p95 = 50;');
  write('lib/verification.ts', 'export {};');
  write('public/favicon.svg', '<svg/>');
  write('test/unit/some.test.ts', 'test');
  write('test/harness/database.ts', 'export {};');
  write('.handbook/verification.json', '{}');

  test.each([
    'monitoring/baselines.ts',
    'lib/verification.ts',
    'public/favicon.svg',
    'site/content/docs/index.mdx',
    '.handbook/verification.json',
    // The Testing page shows regions of the harness.
    'test/harness/database.ts',
  ])('changes when %s changes', (path) => {
    const before = inputsFingerprint(root);
    write(path, `changed ${Math.random()}`);
    expect(inputsFingerprint(root)).not.toBe(before);
  });

  test('changes when a new input file appears, in a folder nobody listed', () => {
    const before = inputsFingerprint(root);
    write('brand-new-folder/data.json', '{}');
    expect(inputsFingerprint(root)).not.toBe(before);
  });

  test('does not change when only a test changes', () => {
    const before = inputsFingerprint(root);
    write('test/unit/some.test.ts', `changed ${Math.random()}`);
    expect(inputsFingerprint(root)).toBe(before);
  });
});
