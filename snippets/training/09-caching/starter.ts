// Exercise 9: caching and invalidation. Run `npm run exercise -- 9` to check.
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

export function createProductCache(db: Kysely<Database>, options: CacheOptions): ProductCache {
  // TODO: keep a Map<id, { product, expiresAt }>.
  //   get: serve a fresh entry without a query; otherwise load (id, name, price_cents as
  //        priceCents, active only), store it with expiresAt = now() + ttlMs, return it.
  //   updatePrice: update the row, then delete the entry so the next get reloads it.
  throw new Error('TODO: implement createProductCache');
}
