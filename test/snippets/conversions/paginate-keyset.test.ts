import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import {
  allProductsByPrice,
  productsByPrice,
  productsByPriceLegacy,
  type PriceCursor,
} from '../../../snippets/conversions/paginate-keyset.ts';
import { recordSql } from './support.ts';

describe('keyset pagination', () => {
  test('walking every page returns each active product exactly once, in price order, both ways', async ({ database }) => {
    const { rows: everything } = await database.pool.query(
      `select id, name, price_cents as "priceCents" from products where active order by price_cents, id`,
    );
    // Prices repeat in the seed, so pages cut through ties: the id tie-breaker is what keeps rows from repeating.
    expect(new Set(everything.map((row) => row.priceCents)).size).toBeLessThan(everything.length);

    const kysely: unknown[] = [];
    for await (const page of allProductsByPrice(database.db, 97)) kysely.push(...page);
    expect(kysely).toEqual(everything);

    const legacy: { id: number; priceCents: number }[] = [];
    let after: PriceCursor | undefined;
    for (;;) {
      const page = await productsByPriceLegacy(database.pool, 97, after);
      if (page.length === 0) break;
      legacy.push(...page);
      after = { priceCents: page.at(-1)!.priceCents, id: page.at(-1)!.id };
    }
    expect(legacy).toEqual(everything);
  });

  test('the page after a cursor is the same both ways, and its SQL is recorded', async ({ database }) => {
    const first = await productsByPrice(database.db, 5);
    const cursor = { priceCents: first.at(-1)!.priceCents, id: first.at(-1)!.id };
    const legacy = await productsByPriceLegacy(database.pool, 5, cursor);
    const kysely = await recordSql(database.pool, 'paginate-keyset.next-page', () => productsByPrice(database.db, 5, cursor));
    expect(kysely).toEqual(legacy);
    expect(kysely[0]!.id).not.toBe(first.at(-1)!.id);
  });
});
