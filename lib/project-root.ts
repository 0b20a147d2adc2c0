// The project's root folder, for every module that reads or writes a file of the project.
// It is the nearest folder, upwards, whose package.json is named "migration-handbook". The
// search starts from this module's own folder, which is right wherever Node runs the source
// (npm scripts, zx, vitest, a child process started from anywhere), and then from the working
// directory: inside an Astro/Vite build this module is bundled into a chunk that may sit outside
// the project, and import.meta.dirname may be missing; `astro build` runs from the root.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'migration-handbook';

function isProjectRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function findUpwards(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isProjectRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function projectRoot(): string {
  const starts = [import.meta.dirname as string | undefined, process.cwd()].filter((start): start is string => Boolean(start));
  for (const start of starts) {
    const found = findUpwards(start);
    if (found) return found;
  }
  throw new Error(`cannot find the project root: no package.json named "${PACKAGE_NAME}" in or above ${starts.join(' or ')}`);
}

/** The absolute path of the project's root folder (where package.json is). */
export const PROJECT_ROOT = projectRoot();
