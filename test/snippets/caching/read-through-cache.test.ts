import { describe, expect, test } from 'vitest';
import { createReadThroughCache } from '../../../snippets/caching/read-through-cache.ts';

function clock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('the read-through cache', () => {
  test('a second read of the same key is a hit and does not load again', async () => {
    const seen: string[] = [];
    const cache = createReadThroughCache<number>({
      ttlMs: 1000,
      events: { onHit: (k) => seen.push(`hit ${k}`), onMiss: (k) => seen.push(`miss ${k}`) },
    });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(loads).toBe(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1 });
    expect(seen).toEqual(['miss a', 'hit a']);
  });

  test('a value is loaded again once its time to live has passed', async () => {
    const time = clock();
    const cache = createReadThroughCache<number>({ ttlMs: 100, now: time.now });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    await cache.get('a', load);
    time.advance(99);
    expect(await cache.get('a', load)).toBe(1);
    time.advance(1);
    expect(await cache.get('a', load)).toBe(2);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
  });

  test('invalidate and invalidatePrefix force the next read to load', async () => {
    const cache = createReadThroughCache<string>({ ttlMs: 60_000 });
    let version = 0;
    const load = (key: string) => () => Promise.resolve(`${key}@${version}`);
    for (const key of ['product:1', 'products:a', 'products:b']) await cache.get(key, load(key));
    version = 1;
    cache.invalidate('product:1');
    cache.invalidatePrefix('products:');
    expect(await cache.get('product:1', load('product:1'))).toBe('product:1@1');
    expect(await cache.get('products:a', load('products:a'))).toBe('products:a@1');
    expect(await cache.get('products:b', load('products:b'))).toBe('products:b@1');
  });

  test('ten concurrent misses for one key run the load once and all get its value', async () => {
    const cache = createReadThroughCache<number>({ ttlMs: 1000 });
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads++;
      await gate;
      return 42;
    };
    const pending = Array.from({ length: 10 }, () => cache.get('hot', load));
    release();
    expect(await Promise.all(pending)).toEqual(Array(10).fill(42));
    expect(loads).toBe(1);
    // They all waited for the database, so they count as misses.
    expect(cache.stats()).toEqual({ hits: 0, misses: 10 });
  });

  test('a failed load is not cached: every waiter sees the error and the next read tries again', async () => {
    const cache = createReadThroughCache<number>({ ttlMs: 1000 });
    let loads = 0;
    const failing = () => {
      loads++;
      return Promise.reject(new Error('database unavailable'));
    };
    const results = await Promise.allSettled([cache.get('k', failing), cache.get('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(loads).toBe(1);
    expect(await cache.get('k', () => Promise.resolve(7))).toBe(7);
  });

  test('a load that finishes after its key was invalidated is returned but not stored', async () => {
    const cache = createReadThroughCache<string>({ ttlMs: 1000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = cache.get('product:1', async () => {
      await gate;
      return 'old price';
    });
    cache.invalidate('product:1');
    release();
    expect(await slow).toBe('old price');
    expect(await cache.get('product:1', () => Promise.resolve('new price'))).toBe('new price');
  });

  test('the least recently used entry is evicted when the cache is full', async () => {
    const cache = createReadThroughCache<string>({ ttlMs: 60_000, maxEntries: 2 });
    let loads = 0;
    const load = (v: string) => () => Promise.resolve((loads++, v));
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now the most recently used
    await cache.get('c', load('c')); // evicts b
    expect(loads).toBe(3);
    await cache.get('a', load('a'));
    expect(loads).toBe(3);
    await cache.get('b', load('b'));
    expect(loads).toBe(4);
  });
});
