// The migration runner in snippets/app/migrate.ts: one migration at a time, each under a
// lock_timeout, retried a bounded number of times, and outside a transaction only when
// the migration says `transaction = false`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { emptyDatabase } from '../harness/database.ts';
import { createPool } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateDownOne, migrateToLatest, type HandbookMigration } from '../../snippets/app/migrate.ts';
import { migrations } from '../../snippets/app/migrations/index.ts';
import type { Database } from '../../snippets/app/database.ts';

const { '0004-index-orders-by-customer': _indexOrders, ...baseline } = migrations;

describe('the migration runner', () => {
  let target: Awaited<ReturnType<typeof emptyDatabase>>;
  let pool: pg.Pool;
  let db: Kysely<Database>;

  beforeAll(async () => {
    target = await emptyDatabase();
    pool = createPool(target.url, 4);
    db = createKysely(pool);
    await migrateToLatest(db, { migrations: baseline });
    await pool.query(`insert into customers (email, name) values ('runner@example.com', 'Runner')`);
  });
  afterAll(async () => {
    await db.destroy();
    await target.drop();
  });

  const indexState = async () => {
    const { rows } = await pool.query(
      `select indisvalid as valid from pg_index where indexrelid = to_regclass('orders_customer_id_created_at_idx')`,
    );
    return rows[0] ? (rows[0].valid ? 'valid' : 'invalid') : 'absent';
  };

  /** An open transaction that has written to orders: a concurrent build must wait for it to end. */
  async function openWriter(): Promise<pg.PoolClient> {
    const client = await pool.connect();
    await client.query('begin');
    await client.query(`insert into orders (customer_id) select min(id) from customers`);
    return client;
  }

  it('gives up after the configured attempts when a lock never comes, leaves the migration unapplied, and succeeds once the lock is free', async () => {
    const blocker = await openWriter();
    const retries: number[] = [];
    try {
      const failure = migrateToLatest(db, { lockTimeoutMs: 100, attempts: 3, retryDelayMs: 20, onRetry: (r) => retries.push(r.attempt) });
      await expect(failure).rejects.toThrow(
        /migration 0004-index-orders-by-customer failed: canceling statement due to lock timeout \(gave up after 3 attempts of 100 ms each/,
      );
      expect(retries).toEqual([1, 2]);
      // The cancelled concurrent build left an INVALID index behind: exactly what up() must clean up.
      expect(await indexState()).toBe('invalid');
      const { rows } = await pool.query(`select count(*)::int as n from kysely_migration where name like '0004%'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
    await migrateToLatest(db, { lockTimeoutMs: 100, attempts: 3, retryDelayMs: 20 });
    expect(await indexState()).toBe('valid');
  });

  it('retries while the lock is held and applies the migration when it is released between attempts', async () => {
    await migrateDownOne(db);
    expect(await indexState()).toBe('absent');
    const blocker = await openWriter();
    const retries: number[] = [];
    // The writer lets go after the first attempt has timed out, however slow the machine: a
    // timer could fire before that attempt even reached the lock.
    let released: Promise<void> | undefined;
    const onRetry = (retry: { delayMs: number }) => {
      retries.push(retry.delayMs);
      released ??= blocker.query('rollback').then(() => blocker.release());
    };
    try {
      await migrateToLatest(db, { lockTimeoutMs: 100, attempts: 6, retryDelayMs: 50, onRetry });
    } finally {
      if (released) await released;
      else {
        await blocker.query('rollback');
        blocker.release();
      }
    }
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.slice(0, 2)).toEqual([50, 100].slice(0, Math.min(2, retries.length)));
    expect(await indexState()).toBe('valid');
  });

  it('runs each migration under its lock_timeout (SET LOCAL in a transaction, set and reset outside one)', async () => {
    const seen: Record<string, unknown> = {};
    const probe = (key: string, transaction?: boolean): HandbookMigration => ({
      transaction,
      up: async (inner) => {
        const { rows } = await sql<{ timeout: string; in_tx: boolean }>`
          select current_setting('lock_timeout') as timeout, now() <> statement_timestamp() as in_tx`.execute(inner);
        seen[key] = rows[0];
      },
    });
    await migrateToLatest(db, {
      migrations: { ...migrations, '0101-probe-tx': probe('tx'), '0102-probe-no-tx': probe('noTx', false) },
      lockTimeoutMs: 1234,
    });
    expect(seen.tx).toEqual({ timeout: '1234ms', in_tx: true });
    expect(seen.noTx).toEqual({ timeout: '1234ms', in_tx: false });
    // Every connection of the pool is back to the server default afterwards.
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect(), pool.connect()]);
    try {
      for (const client of clients) expect((await client.query('show lock_timeout')).rows[0].lock_timeout).toBe('0');
    } finally {
      for (const client of clients) client.release();
    }
  });

  it('CREATE INDEX CONCURRENTLY fails in the default transactional mode and works with transaction = false', async () => {
    const build = (transaction?: boolean): HandbookMigration => ({
      transaction,
      up: async (inner) => {
        await sql`create index concurrently if not exists customers_name_idx on customers (name)`.execute(inner);
      },
      down: async (inner) => {
        await sql`drop index concurrently if exists customers_name_idx`.execute(inner);
      },
    });
    const all = { ...migrations, '0101-probe-tx': { up: async () => {} }, '0102-probe-no-tx': { up: async () => {} } };
    await expect(migrateToLatest(db, { migrations: { ...all, '0103-build': build() } })).rejects.toThrow(
      /migration 0103-build failed: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/,
    );
    await migrateToLatest(db, { migrations: { ...all, '0103-build': build(false) } });
    const { rows } = await pool.query(`select to_regclass('customers_name_idx') is not null as present`);
    expect(rows[0].present).toBe(true);
    await migrateDownOne(db, { migrations: { ...all, '0103-build': build(false) } });
    expect((await pool.query(`select to_regclass('customers_name_idx') is not null as present`)).rows[0].present).toBe(false);
  });
});
