// Chooses the data layer per call from the `data_layer` row in feature_flags,
// so on-call can switch back to legacy with one UPDATE and no restart.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { createLegacyRepository } from './legacy-repository.ts';
import { createKyselyRepository } from './kysely-repository.ts';
import { DATA_LAYERS, DATA_LAYER_FLAG, type DataLayer, type StorefrontRepository } from './storefront-repository.ts';

export { DATA_LAYER_FLAG };

export interface SwitchOptions {
  pool: pg.Pool;
  db: Kysely<Database>;
  /** How long a flag reading is reused. 0 reads the flag on every call. */
  flagCacheMs?: number;
}

export interface SwitchedStorefront extends StorefrontRepository {
  /** The implementation the next call will use. */
  currentDataLayer(): Promise<DataLayer>;
}

// #region flag
export async function readDataLayerFlag(db: Kysely<Database>): Promise<DataLayer> {
  const row = await db
    .selectFrom('feature_flags')
    .select('value')
    .where('key', '=', DATA_LAYER_FLAG)
    .executeTakeFirst()
    // No flag table at all (a schema rolled back too far): serve from the known-good path.
    .catch((error: { code?: string }) => {
      if (error.code === '42P01') return undefined;
      throw error;
    });
  // A missing or unknown value means "the known-good path": legacy.
  return DATA_LAYERS.includes(row?.value as DataLayer) ? (row!.value as DataLayer) : 'legacy';
}

export async function setDataLayerFlag(db: Kysely<Database>, layer: DataLayer): Promise<void> {
  await db
    .insertInto('feature_flags')
    .values({ key: DATA_LAYER_FLAG, value: layer })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: layer, updated_at: new Date() }))
    .execute();
}
// #endregion flag

export function createStorefront({ pool, db, flagCacheMs = 1000 }: SwitchOptions): SwitchedStorefront {
  const implementations: Record<DataLayer, StorefrontRepository> = {
    legacy: createLegacyRepository(pool),
    kysely: createKyselyRepository(db),
  };
  let cached: { layer: DataLayer; readAt: number } | undefined;

  // #region flag-cache
  async function currentDataLayer(): Promise<DataLayer> {
    const now = Date.now();
    if (!cached || now - cached.readAt >= flagCacheMs) cached = { layer: await readDataLayerFlag(db), readAt: now };
    return cached.layer;
  }
  // #endregion flag-cache

  const pick = async () => implementations[await currentDataLayer()];
  return {
    currentDataLayer,
    getProduct: async (...args) => (await pick()).getProduct(...args),
    listProducts: async (...args) => (await pick()).listProducts(...args),
    getCategorySubtree: async (...args) => (await pick()).getCategorySubtree(...args),
    getCategoryPath: async (...args) => (await pick()).getCategoryPath(...args),
    listCustomerOrders: async (...args) => (await pick()).listCustomerOrders(...args),
    topSellingProducts: async (...args) => (await pick()).topSellingProducts(...args),
    placeOrder: async (...args) => (await pick()).placeOrder(...args),
    updateProductPrice: async (...args) => (await pick()).updateProductPrice(...args),
  };
}
