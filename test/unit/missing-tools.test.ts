// A test that needs a system tool skips on a laptop without it, saying how to install it, and
// fails under CI=true, so CI cannot go green without having really run the tool.
import { afterEach, expect, test, vi } from 'vitest';
import { findExecutable, missingMessage, requireExecutable, skipUnlessCi } from '../support/executables.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

const skip = (note: string): never => {
  throw new Error(`skipped: ${note}`);
};

test('a missing tool is a skip with the install command, locally', () => {
  vi.stubEnv('CI', '');
  expect(skipUnlessCi(undefined)).toBeUndefined();
  expect(skipUnlessCi('x is missing')).toBe('x is missing');
  expect(() => requireExecutable('no-such-tool-here', 'apt-get install no-such-tool', skip)).toThrow(
    'skipped: no-such-tool-here is not installed; install it with: apt-get install no-such-tool',
  );
});

test('a missing tool fails the run under CI=true, naming the install command', () => {
  vi.stubEnv('CI', 'true');
  expect(skipUnlessCi(undefined)).toBeUndefined();
  expect(() => skipUnlessCi(missingMessage('pgbouncer', 'apt-get install pgbouncer'))).toThrow(
    'pgbouncer is not installed; install it with: apt-get install pgbouncer (CI=true: a missing tool fails the run)',
  );
  expect(() => requireExecutable('no-such-tool-here', 'apt-get install no-such-tool', skip)).toThrow(
    /CI=true: a missing tool fails the run/,
  );
});

test('an installed tool is found on PATH, whatever CI says', () => {
  vi.stubEnv('CI', 'true');
  const node = findExecutable('node');
  expect(node).toBeDefined();
  expect(requireExecutable('node', 'unused', skip)).toBe(node);
});
