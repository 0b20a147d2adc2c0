// DON'T: a shared helper that registers a hook at its top level. With isolate: false
// this code runs once per worker, so the hook lands in the first file that imports it.
import { beforeEach, expect } from 'vitest';

// #region trap
export const lastReset = { file: '' };

beforeEach(() => {
  lastReset.file = expect.getState().testPath ?? ''; // stands in for "truncate the tables"
});
// #endregion trap
