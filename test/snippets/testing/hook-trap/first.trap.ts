import { expect } from 'vitest';
import { lastReset } from './shared-hooks.ts';
import { test } from './fixture.ts';

test('the shared beforeEach ran before this test', () => {
  expect(lastReset.file).toBe(expect.getState().testPath);
});

test('the fixture ran before this test', ({ resetFor }) => {
  expect(resetFor).toBe(expect.getState().testPath);
});
