// Every row of the quick reference is a pair that must agree: the raw SQL and its
// Kysely form return equal results on the same seeded database.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { readPairs } from '../../../snippets/quick-reference/reads.ts';

describe('quick reference: read idioms', () => {
  for (const [name, pair] of Object.entries(readPairs)) {
    test(`${pair.title}: the raw query and the Kysely query return the same rows (${name})`, async ({ database }) => {
      const raw = await pair.raw(database.pool);
      expect(raw.length).toBeGreaterThan(0);
      expect(await pair.kysely(database.db)).toEqual(raw);
    });
  }
});
