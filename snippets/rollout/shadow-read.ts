// Shadow reads: serve every call from the primary implementation and, for a sampled
// fraction of reads, ask the other implementation the same question afterwards and
// report whether the answers differ. The caller only ever gets the primary's answer.
//
// Guarantees, each covered by test/snippets/rollout/shadow-read.test.ts:
//   - the primary's result and errors reach the caller unchanged;
//   - the shadow starts only after the primary has answered, so it adds nothing to the
//     caller's latency; at most `maxInFlight` shadow calls run at once (beyond that the
//     read is served unshadowed and counted as skipped); a shadow slower than `timeoutMs`
//     is reported as a timeout;
//   - a shadow error or a throwing `report` callback never reaches the caller;
//   - writes (placeOrder, updateProductPrice) go to the primary only: shadowing a write
//     would apply it twice.
import type { StorefrontRepository } from '../app/storefront-repository.ts';

// #region read-methods
export const READ_METHODS = [
  'getProduct',
  'listProducts',
  'getCategorySubtree',
  'getCategoryPath',
  'listCustomerOrders',
  'topSellingProducts',
] as const satisfies readonly (keyof StorefrontRepository)[];
export type ReadMethod = (typeof READ_METHODS)[number];
// #endregion read-methods

export type ShadowOutcome = 'match' | 'mismatch' | 'shadow-error' | 'timeout';

export interface ShadowReport {
  method: ReadMethod;
  args: unknown[];
  outcome: ShadowOutcome;
  /** For a mismatch: the first difference, e.g. `[3].priceCents: 1999 (primary) vs 2000 (shadow)`. */
  difference?: string;
  error?: unknown;
  shadowMs: number;
}

export interface ShadowOptions {
  primary: StorefrontRepository;
  shadow: StorefrontRepository;
  /** Fraction of reads to shadow, 0 to 1. */
  sampleRate: number;
  report: (report: ShadowReport) => void;
  timeoutMs?: number;
  maxInFlight?: number;
  /** Injected in tests to make sampling deterministic. */
  random?: () => number;
}

export interface ShadowStats {
  served: number;
  skipped: number;
  match: number;
  mismatch: number;
  'shadow-error': number;
  timeout: number;
}

export interface ShadowedStorefront extends StorefrontRepository {
  stats(): ShadowStats;
  /** Resolves when every shadow call already started has settled (for shutdown and tests). */
  drain(): Promise<void>;
}

// #region compare
/** The first place two results differ, or undefined when they are equal. Deterministic: arrays in order, object keys sorted. */
export function firstDifference(primary: unknown, shadow: unknown, path = ''): string | undefined {
  const here = path || '(result)';
  if (primary instanceof Date || shadow instanceof Date) {
    const a = primary instanceof Date ? primary.getTime() : primary;
    const b = shadow instanceof Date ? shadow.getTime() : shadow;
    return a === b ? undefined : `${here}: ${show(primary)} (primary) vs ${show(shadow)} (shadow)`;
  }
  if (Array.isArray(primary) && Array.isArray(shadow)) {
    for (let i = 0; i < Math.min(primary.length, shadow.length); i++) {
      const found = firstDifference(primary[i], shadow[i], `${path}[${i}]`);
      if (found) return found;
    }
    return primary.length === shadow.length ? undefined : `${here}: ${primary.length} items (primary) vs ${shadow.length} (shadow)`;
  }
  if (isRecord(primary) && isRecord(shadow) && !Array.isArray(primary) && !Array.isArray(shadow)) {
    const keys = [...new Set([...Object.keys(primary), ...Object.keys(shadow)])].sort();
    for (const key of keys) {
      const found = firstDifference(primary[key], shadow[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(primary, shadow) ? undefined : `${here}: ${show(primary)} (primary) vs ${show(shadow)} (shadow)`;
}
// #endregion compare

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

// #region wrapper
export function withShadowReads(options: ShadowOptions): ShadowedStorefront {
  const { primary, shadow, sampleRate, report, timeoutMs = 2000, maxInFlight = 4, random = Math.random } = options;
  const stats: ShadowStats = { served: 0, skipped: 0, match: 0, mismatch: 0, 'shadow-error': 0, timeout: 0 };
  const inFlight = new Set<Promise<void>>();

  function publish(entry: ShadowReport) {
    stats[entry.outcome]++;
    try {
      report(entry);
    } catch {
      // A broken reporter must not turn a served read into an error.
    }
  }

  async function compare(method: ReadMethod, args: unknown[], expected: unknown): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const call = (shadow[method] as (...a: unknown[]) => Promise<unknown>)(...args).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const settled = await Promise.race([call, deadline]);
    clearTimeout(timer);
    const shadowMs = performance.now() - started;
    if (settled === 'timeout') {
      publish({ method, args, outcome: 'timeout', shadowMs });
      await call; // keep the slot until the shadow query really ends, so load stays bounded
    } else if ('error' in settled) {
      publish({ method, args, outcome: 'shadow-error', error: settled.error, shadowMs });
    } else {
      const difference = firstDifference(expected, settled.value);
      publish({ method, args, outcome: difference ? 'mismatch' : 'match', difference, shadowMs });
    }
  }

  function read<M extends ReadMethod>(method: M) {
    return async (...args: Parameters<StorefrontRepository[M]>): Promise<Awaited<ReturnType<StorefrontRepository[M]>>> => {
      const result = await (primary[method] as (...a: unknown[]) => Promise<Awaited<ReturnType<StorefrontRepository[M]>>>)(...args);
      stats.served++;
      if (random() >= sampleRate) return result;
      if (inFlight.size >= maxInFlight) {
        stats.skipped++;
        return result;
      }
      // A copy, so a caller that mutates its result cannot fake a mismatch. Copying is the one
      // cost a sampled read adds to the caller's path; it is proportional to the result's size.
      const expected = structuredClone(result);
      const copiedArgs = structuredClone(args) as unknown[];
      const job = new Promise<void>((resolve) => {
        // Start after the caller has its answer.
        setImmediate(() => void compare(method, copiedArgs, expected).finally(resolve));
      });
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
      return result;
    };
  }

  return {
    getProduct: read('getProduct'),
    listProducts: read('listProducts'),
    getCategorySubtree: read('getCategorySubtree'),
    getCategoryPath: read('getCategoryPath'),
    listCustomerOrders: read('listCustomerOrders'),
    topSellingProducts: read('topSellingProducts'),
    // Writes are never shadowed: the other implementation would apply them a second time.
    placeOrder: (order) => primary.placeOrder(order),
    updateProductPrice: (id, priceCents) => primary.updateProductPrice(id, priceCents),
    stats: () => ({ ...stats }),
    drain: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
// #endregion wrapper
