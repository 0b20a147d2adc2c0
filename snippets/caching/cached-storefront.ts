// Wraps any StorefrontRepository (legacy or Kysely) with a read-through cache.
// Reads are cached under keys that say what they depend on; each write removes
// exactly the keys whose answer it can change, once the write has finished, in this
// process and, through `publish`, in every other instance (invalidation-channel.ts).
import type { StorefrontRepository } from '../app/storefront-repository.ts';
import { createReadThroughCache, type CacheEvents } from './read-through-cache.ts';

export interface CachedStorefrontOptions {
  ttlMs: number;
  maxEntries?: number;
  events?: CacheEvents;
  now?: () => number;
  /** Tells the other instances what this one dropped (PostgreSQL NOTIFY in the service). */
  publish?: (invalidation: Invalidation) => Promise<void>;
  /** A publish that failed: the other instances stay stale until the TTL. Count it. */
  onPublishError?: (error: unknown) => void;
}

/** What a write made stale: exact keys and key prefixes. */
export interface Invalidation {
  keys: string[];
  prefixes: string[];
  /** When the writer sent it (ms since the epoch), for the propagation-delay metric. */
  sentAt?: number;
}

export interface CachedStorefront extends StorefrontRepository {
  /** Drops what another instance's write made stale. */
  applyInvalidation(invalidation: Invalidation): void;
  /** Serve uncached until resume(): invalidations may be getting lost. */
  suspend(): void;
  /** Flush everything, then cache again. */
  resume(): void;
}

// #region cache-keys
/** Every cache key the storefront uses. Prefixes let a write drop a whole family. */
export const cacheKeys = {
  product: (id: number) => `product:${id}`,
  productListPrefix: 'products:',
  productList: (filter: object, page: object) => `products:${stableJson(filter)}:${stableJson(page)}`,
  subtree: (rootId: number) => `category-subtree:${rootId}`,
  path: (id: number) => `category-path:${id}`,
  customerOrders: (customerId: number) => `customer-orders:${customerId}`,
  topSellingPrefix: 'top-selling:',
  topSelling: (limit: number) => `top-selling:${limit}`,
};
// #endregion cache-keys

/** JSON with sorted keys and no undefined members, so equal filters share one key. */
function stableJson(value: object): string {
  const entries = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function createCachedStorefront(repo: StorefrontRepository, options: CachedStorefrontOptions): CachedStorefront {
  // One cache for every method: one size limit and one hit rate to watch. Each key belongs
  // to one method (see cacheKeys), so the value stored under it has that method's type.
  const store = createReadThroughCache<unknown>(options);
  const cache = {
    get: <T>(key: string, load: () => Promise<T>) => store.get(key, load) as Promise<T>,
    invalidate: (key: string) => store.invalidate(key),
    invalidatePrefix: (prefix: string) => store.invalidatePrefix(prefix),
    suspend: () => store.suspend(),
    resume: () => store.resume(),
  };

  function applyInvalidation({ keys, prefixes }: Invalidation): void {
    for (const key of keys) cache.invalidate(key);
    for (const prefix of prefixes) cache.invalidatePrefix(prefix);
  }

  // #region publish
  async function drop(invalidation: Invalidation): Promise<void> {
    applyInvalidation(invalidation);
    if (!options.publish) return;
    try {
      await options.publish(invalidation);
    } catch (error) {
      // The write itself succeeded: report, do not fail the caller.
      options.onPublishError?.(error);
    }
  }
  // #endregion publish

  return {
    applyInvalidation,
    suspend: () => cache.suspend(),
    resume: () => cache.resume(),

    // #region cached-reads
    getProduct: (id) => cache.get(cacheKeys.product(id), () => repo.getProduct(id)),
    listProducts: (filter, page) => cache.get(cacheKeys.productList(filter, page), () => repo.listProducts(filter, page)),
    getCategorySubtree: (rootId) => cache.get(cacheKeys.subtree(rootId), () => repo.getCategorySubtree(rootId)),
    getCategoryPath: (id) => cache.get(cacheKeys.path(id), () => repo.getCategoryPath(id)),
    listCustomerOrders: (customerId) => cache.get(cacheKeys.customerOrders(customerId), () => repo.listCustomerOrders(customerId)),
    topSellingProducts: (limit) => cache.get(cacheKeys.topSelling(limit), () => repo.topSellingProducts(limit)),
    // #endregion cached-reads

    // #region invalidating-writes
    async placeOrder(order) {
      try {
        return await repo.placeOrder(order);
      } finally {
        // Runs on failure too: an error after COMMIT must not leave stale stock behind.
        // Stock changed for every product on the order: its page and every list
        // (lists carry stock and can filter on it). A new order for this customer,
        // and new units sold for the best-seller lists.
        await drop({
          keys: [...order.lines.map((line) => cacheKeys.product(line.productId)), cacheKeys.customerOrders(order.customerId)],
          prefixes: [cacheKeys.productListPrefix, cacheKeys.topSellingPrefix],
        });
      }
    },

    async updateProductPrice(id, priceCents) {
      try {
        return await repo.updateProductPrice(id, priceCents);
      } finally {
        // The product and any list that shows or filters on its price. Orders keep
        // the price they were placed at, so order history and best sellers stay valid.
        await drop({ keys: [cacheKeys.product(id)], prefixes: [cacheKeys.productListPrefix] });
      }
    },
    // #endregion invalidating-writes
  };
}
