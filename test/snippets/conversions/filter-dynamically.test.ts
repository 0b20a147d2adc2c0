import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { searchOrders, searchOrdersLegacy, type OrderSearch } from '../../../snippets/conversions/filter-dynamically.ts';
import { recordSql } from './support.ts';

describe('dynamic filters without string building', () => {
  const searches: OrderSearch[] = [
    { limit: 10 },
    { statuses: ['cancelled'], limit: 10 },
    { statuses: [], limit: 5 },
    { customerId: 4, limit: 50 },
    { placedFrom: new Date(Date.UTC(2026, 0, 10)), placedBefore: new Date(Date.UTC(2026, 0, 20)), sort: 'oldest', limit: 20 },
    { containsProductId: 12, limit: 50 },
    {
      statuses: ['paid', 'shipped'],
      customerId: 9,
      placedFrom: new Date(Date.UTC(2026, 0, 1)),
      containsProductId: 3,
      sort: 'oldest',
      limit: 50,
    },
  ];

  test('every combination of filters returns the same orders in the same order both ways', async ({ database }) => {
    let nonEmpty = 0;
    for (const search of searches) {
      const legacy = await searchOrdersLegacy(database.pool, search);
      expect(await searchOrders(database.db, search), JSON.stringify(search)).toEqual(legacy);
      if (legacy.length > 0) nonEmpty++;
    }
    // Guard against a comparison of empty lists passing for the wrong reason.
    expect(nonEmpty).toBeGreaterThanOrEqual(5);
  });

  test('each filter really narrows the result', async ({ database }) => {
    const cancelled = await searchOrders(database.db, { statuses: ['cancelled'], limit: 50 });
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((order) => order.status === 'cancelled')).toBe(true);
    const oldest = await searchOrders(database.db, { sort: 'oldest', limit: 3 });
    const newest = await searchOrders(database.db, { sort: 'newest', limit: 3 });
    expect(oldest[0]!.createdAt.getTime()).toBeLessThan(newest[0]!.createdAt.getTime());
  });

  test('the compiled SQL for no filters and for all of them is recorded', async ({ database }) => {
    await recordSql(database.pool, 'filter-dynamically.no-filters', () => searchOrders(database.db, searches[0]!));
    await recordSql(database.pool, 'filter-dynamically.all-filters', () => searchOrders(database.db, searches.at(-1)!));
  });
});
