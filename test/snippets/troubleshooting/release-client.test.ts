import pg from 'pg';
import { describe, expect, test } from '../../harness/database.ts';
import { reserveStock, reserveStockLeaky } from '../../../snippets/troubleshooting/release-client.ts';

// A small pool that gives up, so exhaustion shows up as an error instead of a hang. Not too
// quickly: the same timeout covers opening a connection, which took over 300 ms at load 15.
function smallPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
  // Dropping the clone at the end of the file terminates these connections; that is expected.
  pool.on('error', () => {});
  const handedOut = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => handedOut.add(client));
  pool.on('release', (_error, client) => handedOut.delete(client));
  // The test, not the snippet, gives leaked clients back so the pool can close.
  const close = async () => {
    for (const client of handedOut) client.release(true);
    await pool.end();
  };
  return { pool, close };
}

describe('a client checked out with pool.connect()', () => {
  test('never released, two calls use up a pool of two and the third times out', async ({ database }) => {
    const { pool, close } = smallPool(database.url);
    try {
      await reserveStockLeaky(pool, 21, 1);
      await reserveStockLeaky(pool, 22, 1);
      expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 2, idle: 0 });
      await expect(reserveStockLeaky(pool, 23, 1)).rejects.toThrow(/timeout exceeded when trying to connect/);
    } finally {
      await close();
    }
  });

  test('leaked after an error, it stays idle in transaction and keeps the row locked', async ({ database }) => {
    const { pool, close } = smallPool(database.url);
    try {
      await expect(reserveStockLeaky(pool, 24, 1_000_000)).rejects.toThrow(/cannot reserve/);
      const { rows } = await database.pool.query(
        `select state from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`,
      );
      expect(rows).toHaveLength(1);
      // Another writer now waits for that lock; lock_timeout turns the wait into an error.
      const other = await database.pool.connect();
      try {
        await other.query(`set lock_timeout = '200ms'`);
        await expect(other.query(`update products set stock = stock where id = 24`)).rejects.toThrow(/lock timeout/);
      } finally {
        other.release();
      }
    } finally {
      await close();
    }
  });

  test('released in finally, the pool serves any number of calls, failing ones included', async ({ database }) => {
    const { pool, close } = smallPool(database.url);
    try {
      for (let i = 0; i < 6; i++) await reserveStock(pool, 25, 1);
      await expect(reserveStock(pool, 25, 1_000_000)).rejects.toThrow(/cannot reserve/);
      await reserveStock(pool, 25, 1);
      expect(pool.idleCount).toBe(pool.totalCount);
      const { rows } = await database.pool.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`,
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await close();
    }
  });
});
