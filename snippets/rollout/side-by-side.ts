// Both data layers running side by side in one process: the `data_layer` flag picks
// the implementation that answers, and the other one shadows a sample of the reads.
// Flip the flag and the roles swap, with no restart: before the switch Kysely is checked
// against legacy; after it, legacy keeps checking Kysely until it is deleted.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';
import { createStorefront } from '../app/data-layer-switch.ts';
import { createLegacyRepository } from '../app/legacy-repository.ts';
import { createKyselyRepository } from '../app/kysely-repository.ts';
import type { DataLayer, StorefrontRepository } from '../app/storefront-repository.ts';
import { withShadowReads, type ShadowOptions, type ShadowedStorefront } from './shadow-read.ts';

export interface SideBySideOptions extends Omit<ShadowOptions, 'primary' | 'shadow'> {
  pool: pg.Pool;
  db: Kysely<Database>;
  flagCacheMs?: number;
}

// #region side-by-side
export function createSideBySideStorefront({ pool, db, flagCacheMs, ...shadowing }: SideBySideOptions): ShadowedStorefront {
  const implementations: Record<DataLayer, StorefrontRepository> = {
    legacy: createLegacyRepository(pool),
    kysely: createKyselyRepository(db),
  };
  const primary = createStorefront({ pool, db, flagCacheMs });
  // Whichever implementation the flag did not pick.
  const other = async () => implementations[(await primary.currentDataLayer()) === 'legacy' ? 'kysely' : 'legacy'];
  const shadow: StorefrontRepository = {
    getProduct: async (...args) => (await other()).getProduct(...args),
    listProducts: async (...args) => (await other()).listProducts(...args),
    getCategorySubtree: async (...args) => (await other()).getCategorySubtree(...args),
    getCategoryPath: async (...args) => (await other()).getCategoryPath(...args),
    listCustomerOrders: async (...args) => (await other()).listCustomerOrders(...args),
    topSellingProducts: async (...args) => (await other()).topSellingProducts(...args),
    placeOrder: () => Promise.reject(new Error('writes are never shadowed')),
    updateProductPrice: () => Promise.reject(new Error('writes are never shadowed')),
  };
  return withShadowReads({ ...shadowing, primary, shadow });
}
// #endregion side-by-side
