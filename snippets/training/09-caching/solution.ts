// Exercise 9, solved: a read-through cache with a time-to-live, invalidated on write.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface CachedProduct {
  id: number;
  name: string;
  priceCents: number;
}

export interface ProductCache {
  /** The active product, from memory when a fresh copy is there; undefined when missing. */
  get(id: number): Promise<CachedProduct | undefined>;
  /** Writes the new price to the database; the next get(id) must show it. */
  updatePrice(id: number, priceCents: number): Promise<void>;
}

export interface CacheOptions {
  /** How long an entry may be served without asking the database. */
  ttlMs: number;
  /** The clock, in milliseconds; tests pass a fake one. */
  now?: () => number;
}

// #region product-cache
export function createProductCache(db: Kysely<Database>, { ttlMs, now = Date.now }: CacheOptions): ProductCache {
  const entries = new Map<number, { product: CachedProduct | undefined; expiresAt: number }>();

  return {
    async get(id) {
      const entry = entries.get(id);
      if (entry && entry.expiresAt > now()) return entry.product;
      const product = await db
        .selectFrom('products')
        .select(['id', 'name', 'price_cents as priceCents'])
        .where('id', '=', id)
        .where('active', '=', true)
        .executeTakeFirst();
      entries.set(id, { product, expiresAt: now() + ttlMs });
      return product;
    },

    async updatePrice(id, priceCents) {
      await db.updateTable('products').set({ price_cents: priceCents }).where('id', '=', id).execute();
      // Delete after the write commits: deleting first lets a concurrent get() cache the old row again.
      entries.delete(id);
    },
  };
}
// #endregion product-cache
