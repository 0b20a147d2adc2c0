// A small in-process read-through cache: values expire after a fixed time, the
// least recently used entry goes first when the cache is full, and concurrent
// misses for one key share a single load (no stampede on the database).

export interface CacheEvents {
  onHit?(key: string): void;
  onMiss?(key: string): void;
}

export interface ReadThroughCacheOptions {
  /** How long a loaded value is served before the next read loads it again. */
  ttlMs: number;
  /** Upper bound on stored entries; the least recently used is evicted first. */
  maxEntries?: number;
  /** Called on every hit and miss, e.g. to feed a Prometheus counter. */
  events?: CacheEvents;
  /** The clock; tests pass their own. */
  now?: () => number;
}

export interface ReadThroughCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  invalidate(key: string): void;
  invalidatePrefix(prefix: string): void;
  /**
   * Drops everything and, until resume(), answers every read from its loader without
   * storing it: for when invalidations may have been missed (see invalidation-channel.ts).
   */
  suspend(): void;
  /** Drops everything again (a load that began while suspended is not stored) and caches as before. */
  resume(): void;
  stats(): { hits: number; misses: number };
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

// #region read-through-cache
export function createReadThroughCache<V>(options: ReadThroughCacheOptions): ReadThroughCache<V> {
  const { ttlMs, maxEntries = 10_000, events = {}, now = Date.now } = options;
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest first.
  const entries = new Map<string, Entry<V>>();
  const loading = new Map<string, Promise<V>>();
  let hits = 0;
  let misses = 0;
  let suspended = false;

  function store(key: string, value: V): void {
    entries.delete(key);
    entries.set(key, { value, expiresAt: now() + ttlMs });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  }

  return {
    async get(key, load) {
      if (suspended) {
        misses++;
        events.onMiss?.(key);
        return load();
      }
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) {
        hits++;
        events.onHit?.(key);
        entries.delete(key);
        entries.set(key, entry);
        return entry.value;
      }
      misses++;
      events.onMiss?.(key);
      // #region stampede
      // Every caller that misses while a load is running waits for that same load.
      const running = loading.get(key);
      if (running) return running;
      const pending = load().then(
        (value) => {
          // Store only if no write invalidated the key while we were loading:
          // invalidate() removes the in-flight marker, so the result may be stale.
          if (loading.get(key) === pending) {
            loading.delete(key);
            store(key, value);
          }
          return value;
        },
        (error: unknown) => {
          // A failed load is never cached: the next caller tries again.
          if (loading.get(key) === pending) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, pending);
      return pending;
      // #endregion stampede
    },

    invalidate(key) {
      entries.delete(key);
      loading.delete(key);
    },

    invalidatePrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
      for (const key of [...loading.keys()]) if (key.startsWith(prefix)) loading.delete(key);
    },

    suspend() {
      suspended = true;
      entries.clear();
      loading.clear();
    },

    resume() {
      entries.clear();
      loading.clear();
      suspended = false;
    },

    stats: () => ({ hits, misses }),
  };
}
// #endregion read-through-cache
