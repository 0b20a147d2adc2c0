// lib/project-root.ts is the one answer to "where is the project": from its own folder when
// Node runs the source, from the working directory when it runs from somewhere else, as it
// does bundled into a chunk of the Astro build.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { runNode } from '../support/run-command.ts';

const outside = mkdtempSync(join(tmpdir(), 'handbook-project-root-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('PROJECT_ROOT', () => {
  test('is the folder whose package.json names the handbook', () => {
    expect(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).name).toBe('migration-handbook');
    expect(existsSync(join(PROJECT_ROOT, 'lib', 'project-root.ts'))).toBe(true);
  });

  test('copied out of the project, it is found from a working directory inside it, and missing elsewhere is one clear error', async () => {
    const chunk = join(outside, 'chunk.mts');
    copyFileSync(join(PROJECT_ROOT, 'lib', 'project-root.ts'), chunk);
    const print = ['--input-type=module', '-e', `import { PROJECT_ROOT } from ${JSON.stringify(chunk)}; console.log(PROJECT_ROOT);`];

    const fromSubfolder = await runNode(print, { cwd: join(PROJECT_ROOT, 'site', 'lib') });
    expect(fromSubfolder.code, fromSubfolder.output).toBe(0);
    expect(fromSubfolder.stdout.trim()).toBe(PROJECT_ROOT);

    const nowhere = await runNode(print, { cwd: outside });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('cannot find the project root: no package.json named "migration-handbook"');
  });
});
