// Shadow reads against the real legacy and Kysely repositories on this file's clone,
// plus deliberately broken implementations to prove that differences are caught.
import { Kysely, PostgresDialect } from 'kysely';
import { describe, expect, test } from '../../harness/database.ts';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { setDataLayerFlag } from '../../../snippets/app/data-layer-switch.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';
import { createPool } from '../../../lib/db/connect.ts';
import type { Database } from '../../../snippets/app/database.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import { firstDifference, withShadowReads, type ShadowReport } from '../../../snippets/rollout/shadow-read.ts';
import { createSideBySideStorefront } from '../../../snippets/rollout/side-by-side.ts';
import { evidencePath } from '../../support/evidence.ts';

type Db = { pool: import('pg').Pool; db: Kysely<Database> };

// One call of every read method, with arguments that return real rows from the seed.
// Shadow calls finish in any order; draining after each read keeps the reports in call order.
async function everyRead(repo: StorefrontRepository & { drain(): Promise<void> }) {
  const calls = [
    () => repo.getProduct(5),
    () => repo.getProduct(999_999),
    () => repo.listProducts({ inStockOnly: true, minPriceCents: 1_000 }, { limit: 20 }),
    () => repo.listProducts({ nameContains: 'lamp' }, { limit: 10, afterId: 10 }),
    () => repo.getCategorySubtree(1),
    () => repo.getCategoryPath(40),
    () => repo.listCustomerOrders(1),
    () => repo.topSellingProducts(10),
  ];
  for (const call of calls) {
    await call();
    await repo.drain();
  }
}

function setUp({ pool, db }: Db, shadowOverride?: (real: StorefrontRepository) => StorefrontRepository) {
  const legacy = createLegacyRepository(pool);
  const kysely = createKyselyRepository(db);
  const reports: ShadowReport[] = [];
  const shadowed = withShadowReads({
    primary: legacy,
    shadow: shadowOverride ? shadowOverride(kysely) : kysely,
    sampleRate: 1,
    report: (entry) => reports.push(entry),
  });
  return { legacy, kysely, reports, shadowed };
}

describe('shadow reads between the real implementations', () => {
  test('legacy serving and Kysely shadowing agree on every read method', async ({ database }) => {
    const { shadowed, reports } = setUp(database);
    await everyRead(shadowed);
    await shadowed.drain();
    expect(reports.map((r) => `${r.method}: ${r.outcome}`)).toEqual([
      'getProduct: match',
      'getProduct: match',
      'listProducts: match',
      'listProducts: match',
      'getCategorySubtree: match',
      'getCategoryPath: match',
      'listCustomerOrders: match',
      'topSellingProducts: match',
    ]);
    expect(shadowed.stats()).toMatchObject({ served: 8, match: 8, mismatch: 0, skipped: 0 });
  });

  test('a divergent implementation is reported with the method, the arguments and the first difference', async ({ database }) => {
    // Two realistic conversion bugs: an off-by-one price and a subtree ordered by id only.
    const { shadowed, reports } = setUp(database, (real) => ({
      ...real,
      listProducts: async (filter, page) =>
        (await real.listProducts(filter, page)).map((p, i) => (i === 3 ? { ...p, priceCents: p.priceCents + 1 } : p)),
      getCategorySubtree: async (rootId) => (await real.getCategorySubtree(rootId)).sort((a, b) => a.id - b.id),
    }));
    await everyRead(shadowed);
    await shadowed.drain();
    const mismatches = reports.filter((r) => r.outcome === 'mismatch');
    expect(mismatches.map((r) => r.method)).toEqual(['listProducts', 'listProducts', 'getCategorySubtree']);
    expect(mismatches[0]!.args).toEqual([{ inStockOnly: true, minPriceCents: 1_000 }, { limit: 20 }]);
    expect(mismatches[0]!.difference).toMatch(/^\[3\]\.priceCents: \d+ \(primary\) vs \d+ \(shadow\)$/);
    expect(mismatches[2]!.difference).toMatch(/^\[\d+\]\.(depth|id|name|parentId): /);
    expect(shadowed.stats()).toMatchObject({ match: 5, mismatch: 3 });
    const shown = mismatches.map(({ method, args, outcome, difference }) => ({ method, args, outcome, difference }));
    await expect(`${JSON.stringify(shown, null, 2)}\n`).toMatchFileSnapshot(evidencePath('rollout', 'divergent-reports.json'));
  });

  test('the caller always gets the primary result, even when the shadow fails or hangs', async ({ database }) => {
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const { shadowed, reports, legacy } = setUp(database, (real) => ({
      ...real,
      getProduct: () => Promise.reject(new Error('shadow exploded')),
    }));
    const hanging = withShadowReads({
      primary: legacy,
      shadow: { ...createKyselyRepository(database.db), getCategoryPath: async () => hung.then(() => []) },
      sampleRate: 1,
      timeoutMs: 50,
      report: (entry) => reports.push(entry),
    });

    expect(await shadowed.getProduct(5)).toEqual(await legacy.getProduct(5));
    await shadowed.drain();
    expect(await hanging.getCategoryPath(40)).toEqual(await legacy.getCategoryPath(40));
    // Past the 50 ms budget the shadow is reported as a timeout while it still hangs.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reports.map((r) => r.outcome)).toEqual(['shadow-error', 'timeout']);
    expect(String((reports[0]!.error as Error).message)).toBe('shadow exploded');
    release();
    await hanging.drain();
  });

  test('the primary error reaches the caller unchanged, and nothing is shadowed', async ({ database }) => {
    const { legacy, kysely } = setUp(database);
    const failure = new Error('primary is down');
    const reports: ShadowReport[] = [];
    const shadowed = withShadowReads({
      primary: { ...legacy, topSellingProducts: () => Promise.reject(failure) },
      shadow: kysely,
      sampleRate: 1,
      report: (r) => reports.push(r),
    });
    await expect(shadowed.topSellingProducts(5)).rejects.toBe(failure);
    await shadowed.drain();
    expect(reports).toEqual([]);
  });

  test('a reporter that throws does not turn a served read into an error', async ({ database }) => {
    const { legacy, kysely } = setUp(database);
    const shadowed = withShadowReads({
      primary: legacy,
      shadow: kysely,
      sampleRate: 1,
      report: () => {
        throw new Error('metrics down');
      },
    });
    expect(await shadowed.getProduct(5)).toMatchObject({ id: 5 });
    await shadowed.drain();
    expect(shadowed.stats()).toMatchObject({ served: 1, match: 1 });
  });
});

describe('shadow reads keep their cost bounded', () => {
  test('only the sampled fraction of reads is shadowed', async ({ database }) => {
    const { legacy, kysely } = setUp(database);
    const draws = [0.05, 0.5, 0.2, 0.9, 0.3, 0.7, 0.1, 0.99];
    let next = 0;
    const shadowed = withShadowReads({ primary: legacy, shadow: kysely, sampleRate: 0.25, random: () => draws[next++]!, report: () => {} });
    for (let i = 0; i < draws.length; i++) await shadowed.getProduct(5);
    await shadowed.drain();
    // 0.05, 0.2 and 0.1 are below 0.25.
    expect(shadowed.stats()).toMatchObject({ served: 8, match: 3 });
  });

  test('at most maxInFlight shadow calls run at once; further reads are served unshadowed', async ({ database }) => {
    const { legacy, kysely } = setUp(database);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const shadowed = withShadowReads({
      primary: legacy,
      shadow: {
        ...kysely,
        getProduct: async (id) => {
          started++;
          await gate;
          return kysely.getProduct(id);
        },
      },
      sampleRate: 1,
      maxInFlight: 2,
      timeoutMs: 10_000,
      report: () => {},
    });
    for (let i = 0; i < 5; i++) expect(await shadowed.getProduct(5)).toMatchObject({ id: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    expect(shadowed.stats()).toMatchObject({ served: 5, skipped: 3 });
    release();
    await shadowed.drain();
    expect(shadowed.stats()).toMatchObject({ match: 2 });
  });

  test('writes go to the primary only, so an order is placed once', async ({ database }) => {
    const { shadowed } = setUp(database);
    const count = async () =>
      (await database.pool.query(`select count(*)::int as n from orders where customer_id = 3`)).rows[0].n as number;
    const before = await count();
    const order = await shadowed.placeOrder({ customerId: 3, lines: [{ productId: 5, quantity: 1 }] });
    await shadowed.drain();
    expect(await count()).toBe(before + 1);
    expect(order.lines).toHaveLength(1);
    expect(await shadowed.updateProductPrice(5, 4321)).toMatchObject({ id: 5, priceCents: 4321 });
    expect(shadowed.stats()).toMatchObject({ served: 0, match: 0 });
  });
});

describe('side by side behind the data_layer flag', () => {
  test('the flag picks who answers and the other implementation shadows; flipping it swaps the roles', async ({ database }) => {
    // A pool of its own so the counter sees only this test's statements.
    const pool = createPool(database.url, 4);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const counter = countQueries(pool);
    try {
      for (const layer of ['legacy', 'kysely'] as const) {
        await setDataLayerFlag(database.db, layer);
        const reports: ShadowReport[] = [];
        const storefront = createSideBySideStorefront({ pool, db, flagCacheMs: 60_000, sampleRate: 1, report: (r) => reports.push(r) });
        await storefront.getProduct(5); // reads and caches the flag
        await storefront.drain();
        const served = await counter.measure(() => storefront.listCustomerOrders(1));
        const shadowed = await counter.measure(() => storefront.drain());
        const orders = served.result.length;
        expect(orders).toBeGreaterThan(1);
        // Legacy sends one query per order (N+1); Kysely one in all.
        const legacyCount = 1 + orders;
        expect([served.count, shadowed.count]).toEqual(layer === 'legacy' ? [legacyCount, 1] : [1, legacyCount]);
        expect(reports.map((r) => r.outcome)).toEqual(['match', 'match']);
      }
    } finally {
      counter.detach();
      await db.destroy();
    }
  });
});

describe('the comparison', () => {
  test('compares dates by instant, arrays in order and objects by key, and names the first difference', () => {
    expect(firstDifference({ a: 1, at: new Date(0) }, { at: new Date(0), a: 1 })).toBeUndefined();
    expect(firstDifference([1, 2], [2, 1])).toBe('[0]: 1 (primary) vs 2 (shadow)');
    expect(firstDifference([{ lines: [1] }], [{ lines: [1, 2] }])).toBe('[0].lines: 1 items (primary) vs 2 (shadow)');
    expect(firstDifference({ a: 1 }, { a: 1, b: null })).toBe('b: undefined (primary) vs null (shadow)');
    expect(firstDifference(undefined, { id: 1 })).toBe('(result): undefined (primary) vs {"id":1} (shadow)');
    expect(firstDifference(new Date(0), new Date(1))).toBe(
      '(result): 1970-01-01T00:00:00.000Z (primary) vs 1970-01-01T00:00:00.001Z (shadow)',
    );
  });
});

describe('the statement that flips the flag', () => {
  test('setDataLayerFlag sends one parameterised upsert, recorded as it was executed', async ({ database }) => {
    const sent: string[] = [];
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (event) => {
        if (event.level === 'query') sent.push(`${event.query.sql}\n-- parameters: ${JSON.stringify(event.query.parameters)}\n`);
      },
    });
    await setDataLayerFlag(db, 'kysely');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^insert into "feature_flags" .* on conflict \("key"\) do update set/);
    const row = await database.db.selectFrom('feature_flags').select('value').where('key', '=', 'data_layer').executeTakeFirstOrThrow();
    expect(row.value).toBe('kysely');
    await expect(sent[0]!.replace(/"\d{4}-\d\d-\d\dT[^"]+"/, '"<now>"')).toMatchFileSnapshot(
      evidencePath('rollout', 'set-data-layer-flag.sql'),
    );
  });
});
