// The parts of the per-method rollout that need no database: reading a stage value,
// and the canary's split of keys.
import { describe, expect, test } from 'vitest';
import { canaryBucket, formatStage, layerFor, parseStage } from '../../snippets/rollout/method-rollout.ts';
import { poolerRefusal } from '../../runbooks/kit/pooler.ts';

describe('rollout stages', () => {
  test('every valid stage value reads back as itself, and anything else is not a stage', () => {
    for (const value of ['legacy', 'shadow', 'kysely', 'canary:0', 'canary:10', 'canary:100'])
      expect(formatStage(parseStage(value)!)).toBe(value);
    for (const value of ['Kysely', 'canary', 'canary:101', 'canary:-1', 'canary:1.5', 'canary:10 ', '', undefined])
      expect(parseStage(value), String(value)).toBeUndefined();
  });

  test('canary 0 % sends nobody to Kysely and 100 % everybody', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `c${i}`);
    expect(keys.every((key) => layerFor({ stage: 'canary', percent: 0 }, key) === 'legacy')).toBe(true);
    expect(keys.every((key) => layerFor({ stage: 'canary', percent: 100 }, key) === 'kysely')).toBe(true);
    expect(keys.every((key) => canaryBucket(key) >= 0 && canaryBucket(key) < 100)).toBe(true);
  });

  test('shadow and legacy answer from legacy; kysely from Kysely', () => {
    expect(layerFor({ stage: 'legacy' }, 'c1')).toBe('legacy');
    expect(layerFor({ stage: 'shadow' }, 'c1')).toBe('legacy');
    expect(layerFor({ stage: 'kysely' }, undefined)).toBe('kysely');
  });
});

describe('the runbook kit on a pooler', () => {
  test('only a refused startup parameter is explained as a pooler', () => {
    expect(poolerRefusal({ message: 'unsupported startup parameter: lock_timeout' }, 'db:6432/app')).toMatch(
      /^db:6432\/app is a connection pooler \(it refused the startup parameter lock_timeout\); runbooks need a direct connection/,
    );
    expect(poolerRefusal({ message: 'password authentication failed' }, 'x')).toBeUndefined();
    expect(poolerRefusal(undefined, 'x')).toBeUndefined();
  });
});
