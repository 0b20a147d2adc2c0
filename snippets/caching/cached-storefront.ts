// Wraps any StorefrontRepository (legacy or Kysely) with a read-through cache.
// Reads are cached under keys that say what they depend on; each write removes
// exactly the keys whose answer it can change, once the write has finished.
import type { StorefrontRepository } from '../app/storefront-repository.ts';
import { createReadThroughCache, type CacheEvents } from './read-through-cache.ts';

export interface CachedStorefrontOptions {
  ttlMs: number;
  maxEntries?: number;
  events?: CacheEvents;
  now?: () => number;
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

export function createCachedStorefront(repo: StorefrontRepository, options: CachedStorefrontOptions): StorefrontRepository {
  // One cache for every method: one size limit and one hit rate to watch.
  const cache = createReadThroughCache<any>(options);

  return {
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
        // (lists carry stock and can filter on it).
        for (const line of order.lines) cache.invalidate(cacheKeys.product(line.productId));
        cache.invalidatePrefix(cacheKeys.productListPrefix);
        // A new order for this customer, and new units sold for the best-seller lists.
        cache.invalidate(cacheKeys.customerOrders(order.customerId));
        cache.invalidatePrefix(cacheKeys.topSellingPrefix);
      }
    },

    async updateProductPrice(id, priceCents) {
      try {
        return await repo.updateProductPrice(id, priceCents);
      } finally {
        // The product and any list that shows or filters on its price. Orders keep
        // the price they were placed at, so order history and best sellers stay valid.
        cache.invalidate(cacheKeys.product(id));
        cache.invalidatePrefix(cacheKeys.productListPrefix);
      }
    },
    // #endregion invalidating-writes
  };
}
