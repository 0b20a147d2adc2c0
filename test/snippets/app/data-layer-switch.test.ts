import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { createStorefront, setDataLayerFlag } from '../../../snippets/app/data-layer-switch.ts';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';

describe('the data_layer flag', () => {
  test('flipping it switches the implementation of a running storefront without a restart', async ({ database }) => {
    // A separate pool stands in for the running app; `database.db` is the operator flipping the flag.
    const appPool = createPool(database.url, 3);
    let directQueries = 0;
    const query = appPool.query.bind(appPool);
    // The legacy layer calls pool.query; Kysely checks out a client instead. Counting
    // pool.query calls shows which implementation really answered.
    appPool.query = ((...args: Parameters<typeof query>) => {
      directQueries++;
      return query(...args);
    }) as typeof appPool.query;
    const storefront = createStorefront({ pool: appPool, db: createKysely(appPool), flagCacheMs: 0 });
    try {
      await setDataLayerFlag(database.db, 'kysely');
      expect(await storefront.currentDataLayer()).toBe('kysely');
      const viaKysely = await storefront.listCustomerOrders(1);
      expect(directQueries).toBe(0);

      await setDataLayerFlag(database.db, 'legacy');
      expect(await storefront.currentDataLayer()).toBe('legacy');
      const viaLegacy = await storefront.listCustomerOrders(1);
      // The legacy N+1 loop: one query for the orders, one per order for its lines.
      expect(directQueries).toBe(1 + viaLegacy.length);
      expect(viaLegacy).toEqual(viaKysely);

      await setDataLayerFlag(database.db, 'kysely');
      await storefront.listCustomerOrders(1);
      expect(directQueries).toBe(1 + viaLegacy.length);
    } finally {
      await appPool.end();
    }
  });

  test('an unknown or missing value falls back to legacy, the known-good path', async ({ database }) => {
    const storefront = createStorefront({ pool: database.pool, db: database.db, flagCacheMs: 0 });
    await database.db.updateTable('feature_flags').set({ value: 'typo' }).where('key', '=', 'data_layer').execute();
    expect(await storefront.currentDataLayer()).toBe('legacy');
    await database.db.deleteFrom('feature_flags').where('key', '=', 'data_layer').execute();
    expect(await storefront.currentDataLayer()).toBe('legacy');
    await setDataLayerFlag(database.db, 'kysely');
    expect(await storefront.currentDataLayer()).toBe('kysely');
  });

  test('a cached reading is reused until it expires', async ({ database }) => {
    const storefront = createStorefront({ pool: database.pool, db: database.db, flagCacheMs: 60_000 });
    await setDataLayerFlag(database.db, 'kysely');
    expect(await storefront.currentDataLayer()).toBe('kysely');
    await setDataLayerFlag(database.db, 'legacy');
    expect(await storefront.currentDataLayer()).toBe('kysely');
  });
});
