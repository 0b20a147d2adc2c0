/**
 * Nearest-rank percentile of samples sorted ascending, with `p` from 0 to 100: the smallest
 * sample with at least p % of the samples at or below it. NaN for no samples. The one
 * convention every measurement in the handbook uses (benchmarks, load runs, isolation cost).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
