// What the application does with an error PostgreSQL sent: one table, used by the
// Kysely repository (which throws DatabaseOutcomeError) and by the HTTP service
// (which turns an outcome into a status code). An error not in the table is a bug
// or an outage: it propagates unchanged and ends as a 500.

// #region outcomes
export type DatabaseOutcome = 'conflict' | 'not-found' | 'retry' | 'timeout' | 'lock-unavailable';

export const SQLSTATE_OUTCOMES: Readonly<Record<string, { outcome: DatabaseOutcome; condition: string; status: number }>> = {
  // A row with this key already exists: the caller sent a duplicate.
  '23505': { outcome: 'conflict', condition: 'unique_violation', status: 409 },
  // The row this one points at does not exist (an order for an unknown customer).
  '23503': { outcome: 'not-found', condition: 'foreign_key_violation', status: 422 },
  // The transaction lost a race; running it again from the start is safe and expected.
  '40001': { outcome: 'retry', condition: 'serialization_failure', status: 503 },
  '40P01': { outcome: 'retry', condition: 'deadlock_detected', status: 503 },
  // statement_timeout cancelled it: retrying at once would only add load.
  '57014': { outcome: 'timeout', condition: 'query_canceled', status: 503 },
  // lock_timeout (or NOWAIT): someone else holds the row; ask the client to come back.
  '55P03': { outcome: 'lock-unavailable', condition: 'lock_not_available', status: 503 },
};

export class DatabaseOutcomeError extends Error {
  override name = 'DatabaseOutcomeError';
  readonly outcome: DatabaseOutcome;
  readonly sqlstate: string;
  readonly status: number;
  /** For conflicts and missing references: which constraint, so the message can say what. */
  readonly constraint: string | undefined;
  /** How many times the work ran before giving up (1 when it was not retried). */
  readonly attempts: number;

  constructor(sqlstate: string, message: string, options: { constraint?: string; attempts?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    const known = SQLSTATE_OUTCOMES[sqlstate]!;
    this.sqlstate = sqlstate;
    this.outcome = known.outcome;
    this.status = known.status;
    this.constraint = options.constraint;
    this.attempts = options.attempts ?? 1;
  }
}

/** The outcome for an error from pg (or one already classified), or undefined when the table has none. */
export function outcomeOf(error: unknown): DatabaseOutcome | undefined {
  if (error instanceof DatabaseOutcomeError) return error.outcome;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? SQLSTATE_OUTCOMES[code]?.outcome : undefined;
}

/** Wraps a pg error whose SQLSTATE is in the table; returns anything else unchanged. */
export function classifyDatabaseError(error: unknown, attempts = 1): unknown {
  if (error instanceof DatabaseOutcomeError) return error;
  const pgError = error as { code?: string; message?: string; constraint?: string };
  if (typeof pgError?.code !== 'string' || !SQLSTATE_OUTCOMES[pgError.code]) return error;
  return new DatabaseOutcomeError(pgError.code, pgError.message ?? pgError.code, {
    constraint: pgError.constraint,
    attempts,
    cause: error,
  });
}
// #endregion outcomes
