// DO: the same setup as a fixture. The runner sets it up for every test that asks
// for it, whichever file imported this module first.
import { expect, test as base } from 'vitest';

// #region fixture
export const test = base.extend('resetFor', () => expect.getState().testPath ?? '');
// #endregion fixture
