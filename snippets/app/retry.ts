// Runs a transaction again when PostgreSQL says it lost a race (serialization failure,
// deadlock), a bounded number of times, with jittered exponential backoff so that the
// transactions that collided do not collide again on the same beat.
import { classifyDatabaseError, outcomeOf } from './database-errors.ts';

export interface RetryOptions {
  /** Total runs, the first one included. */
  maxAttempts?: number;
  /** Backoff cap for the first retry; doubles each time up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected in tests. */
  random?: () => number;
  /** Called before each retry, e.g. to count retries in a metric. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export const RETRY_DEFAULTS = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 250 } as const;

// #region retry
/**
 * `work` must be the whole transaction, BEGIN to COMMIT: after a serialization failure
 * or a deadlock PostgreSQL has rolled it back, so every statement has to run again.
 * Nothing outside the database (an e-mail, a cache write) may happen inside it.
 */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts, baseDelayMs, maxDelayMs } = { ...RETRY_DEFAULTS, ...options };
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (outcomeOf(error) !== 'retry' || attempt >= maxAttempts) throw classifyDatabaseError(error, attempt);
      // "Full jitter": anywhere between 0 and the capped exponential step.
      const delayMs = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      options.onRetry?.(attempt, error, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
// #endregion retry
