// Cache invalidation across instances with PostgreSQL LISTEN/NOTIFY: no new server.
// A write's instance NOTIFYs what it dropped; every instance LISTENs on one dedicated,
// direct connection (a transaction pooler such as PgBouncer cannot carry LISTEN) and
// drops the same keys. While that connection is down an instance cannot know what
// others wrote, so it serves uncached; once LISTEN is back it flushes and caches again.
import pg from 'pg';
import type { Invalidation } from './cached-storefront.ts';

export const INVALIDATION_CHANNEL = 'storefront_cache';

// #region publish
/** Sent after the write committed. NOTIFY payloads are limited to 8000 bytes; ours are a few keys. */
export async function publishInvalidation(pool: pg.Pool, invalidation: Invalidation): Promise<void> {
  await pool.query('select pg_notify($1, $2)', [
    INVALIDATION_CHANNEL,
    JSON.stringify({ ...invalidation, sentAt: performance.timeOrigin + performance.now() }),
  ]);
}
// #endregion publish

export interface ListenerOptions {
  /** A direct connection to PostgreSQL, never through a transaction pooler. */
  connectionString: string;
  onInvalidate(invalidation: Invalidation): void;
  /** The connection is gone: notifications may be lost from now on. */
  onDisconnect(): void;
  /** LISTEN is active again (also the first time): anything cached before may be stale. */
  onConnect(): void;
  /** Wait before reconnecting. */
  retryDelayMs?: number;
  /** A `select 1` this often finds a connection that died without a word (a cut network). */
  pingIntervalMs?: number;
  log?: (line: string) => void;
}

export interface Listener {
  /** Resolves once LISTEN is active the first time. */
  ready: Promise<void>;
  connected(): boolean;
  /** The listening session's server process id (0 while disconnected). */
  pid(): number;
  /** Ends the current connection as if the network dropped it (for drills and tests). */
  dropConnection(): void;
  close(): Promise<void>;
}

// #region listen
export function listenForInvalidations(options: ListenerOptions): Listener {
  const { retryDelayMs = 500, pingIntervalMs = 5_000, log = () => {} } = options;
  let closed = false;
  let connected = false;
  let current: pg.Client | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function session(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'storefront/cache-listener',
      keepAlive: true,
    });
    current = client;
    const lost = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.once('end', () => resolve());
    });
    client.on('notification', (message) => {
      if (message.channel !== INVALIDATION_CHANNEL || !message.payload) return;
      try {
        options.onInvalidate(JSON.parse(message.payload) as Invalidation);
      } catch (error) {
        log(`ignored a malformed invalidation: ${(error as Error).message}`);
      }
    });
    await client.connect();
    await client.query(`listen ${INVALIDATION_CHANNEL}`);
    connected = true;
    options.onConnect();
    markReady();
    const ping = setInterval(() => {
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), pingIntervalMs).unref());
      Promise.race([client.query('select 1'), timeout]).catch(() => client.end().catch(() => {}));
    }, pingIntervalMs);
    try {
      await lost;
    } finally {
      clearInterval(ping);
    }
  }

  void (async () => {
    while (!closed) {
      try {
        await session();
      } catch (error) {
        log(`cache listener: ${(error as Error).message}`);
      }
      if (connected || !closed) {
        connected = false;
        options.onDisconnect();
      }
      await current?.end().catch(() => {});
      if (!closed) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  })();

  return {
    ready,
    connected: () => connected,
    pid: () => (connected ? ((current as unknown as { processID?: number })?.processID ?? 0) : 0),
    dropConnection() {
      // Destroys the socket under the client: what a cut network or a killed backend looks like.
      (current as unknown as { connection?: { stream?: { destroy(): void } } })?.connection?.stream?.destroy();
    },
    async close() {
      closed = true;
      await current?.end().catch(() => {});
    },
  };
}
// #endregion listen
