// Counts the statements a pg Pool really sends to PostgreSQL, whichever code sent them:
// raw `pool.query(...)`, a checked-out client, or Kysely (whose PostgresDialect checks out
// a client and calls `client.query`). The guide's query counts come from here, not from
// reading the code and assuming.
//
// How: every time the pool hands out a client ('acquire' fires for pool.query() and for
// pool.connect() alike), that client's `query` method is wrapped once. The wrapper tells
// every counter attached to the pool. Clients that were idle in the pool before a counter
// was attached are wrapped on their next checkout. A connection already checked out when
// the first counter is attached (an open transaction) is not seen: attach first, then work.
// Everything sent on the pool counts, so measure on a pool nothing else is using.
import type pg from 'pg';

export interface QueryCounter {
  /** Statements sent since the counter was attached or last reset. */
  readonly count: number;
  /** What was sent, in order. */
  readonly statements: readonly SentStatement[];
  reset(): void;
  /** Runs `work` and returns what it resolved to with the statements it sent. */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; count: number; statements: SentStatement[] }>;
  /** Stops counting; the pool keeps working as before. */
  detach(): void;
}

export interface SentStatement {
  sql: string;
  parameters: readonly unknown[];
}

type Listener = (statement: SentStatement) => void;

const listenersByPool = new WeakMap<pg.Pool, Set<Listener>>();
const WRAPPED = Symbol('query-counter.wrapped');

function describe(args: unknown[]): SentStatement {
  const [first, second] = args;
  if (typeof first === 'string') return { sql: first, parameters: Array.isArray(second) ? second : [] };
  // pg also accepts a config object ({ text, values }) or a Submittable such as a Cursor.
  if (first && typeof first === 'object' && 'text' in first) {
    const config = first as { text: unknown; values?: unknown };
    return { sql: String(config.text), parameters: Array.isArray(config.values) ? config.values : [] };
  }
  return { sql: '(submittable)', parameters: [] };
}

// #region count-queries
export function countQueries(pool: pg.Pool): QueryCounter {
  let listeners = listenersByPool.get(pool);
  if (!listeners) {
    const created = new Set<Listener>();
    listeners = created;
    listenersByPool.set(pool, created);
    pool.on('acquire', (client: pg.PoolClient & { [WRAPPED]?: true }) => {
      if (client[WRAPPED]) return;
      client[WRAPPED] = true;
      const send = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        const statement = describe(args);
        for (const listener of created) listener(statement);
        return send(...args);
      }) as typeof client.query;
    });
  }

  const statements: SentStatement[] = [];
  const listener: Listener = (statement) => statements.push(statement);
  listeners.add(listener);

  return {
    get count() {
      return statements.length;
    },
    get statements() {
      return statements;
    },
    reset() {
      statements.length = 0;
    },
    async measure(work) {
      const start = statements.length;
      const result = await work();
      const sent = statements.slice(start);
      return { result, count: sent.length, statements: sent };
    },
    detach() {
      listeners.delete(listener);
    },
  };
}
// #endregion count-queries
