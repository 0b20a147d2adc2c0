// The guide's PgBouncer advice, tried on a real PgBouncer (Debian's, in transaction pooling
// mode) in front of this file's clone. What breaks and what works is recorded in
// snippets/setup/evidence/pgbouncer-transaction-pooling.json, which the troubleshooting page shows.
import pg from 'pg';
import { inject } from 'vitest';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from '../../harness/database.ts';
import {
  applySessionDefaults,
  closeDatabase,
  createDatabase,
  createPool,
  SESSION_DEFAULTS,
} from '../../../snippets/setup/create-database.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { startStorefrontService } from '../../../snippets/service/storefront-service.ts';
import { poolerRefusal } from '../../../runbooks/kit/pooler.ts';
import { evidencePath } from '../../support/evidence.ts';
import { skipUnlessCi } from '../../support/executables.ts';
import { findPgbouncer, PGBOUNCER_MISSING, startPgbouncer, type Pgbouncer } from '../../support/pgbouncer.ts';
import { QUICK_HEALTH_CHECK, runbook } from '../../runbooks/run-runbook.ts';
import { categoryStock, cheapProducts, recentOrders } from '../../../snippets/conversions/select-rows.ts';
import { productsByPrice } from '../../../snippets/conversions/paginate-keyset.ts';
import { dailyOrders } from '../../../snippets/conversions/raw-sql.ts';
import { loadWithJsonArrayFrom, loadWithWhereIn } from '../../../snippets/relations/load-orders-with-items.ts';

const binary = findPgbouncer();
if (!binary) console.warn(`[skip] ${skipUnlessCi(PGBOUNCER_MISSING)}`);

/** What each client-side habit does directly and through the pooler: the page's table. */
const findings: Record<string, { direct: string; pgbouncer: string }> = {};

async function client(url: string, config: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, ...config });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function attempt(work: () => Promise<string>): Promise<string> {
  try {
    return await work();
  } catch (error) {
    return `error ${(error as { code?: string }).code ?? ''}: ${(error as Error).message}`.replace(/\s+/g, ' ');
  }
}

describe.skipIf(!binary)('the Storefront through PgBouncer in transaction pooling mode', () => {
  // Pool size 1: every client shares one server connection, which makes the leaks deterministic.
  let single: Pgbouncer;
  let pair: Pgbouncer;
  let role: string;

  beforeAll(async () => {
    single = await startPgbouncer(binary!, inject('adminUrl'), { poolSize: 1 });
    pair = await startPgbouncer(binary!, inject('adminUrl'), { poolSize: 2 });
  });
  afterAll(async () => {
    await single?.stop();
    await pair?.stop();
  });

  test('timeouts sent as startup parameters are refused; stored on the role they reach every session', async ({ database }) => {
    const through = single.url(database.url);
    const asStartup = { statement_timeout: 10_000 } as Partial<pg.ClientConfig>;
    findings['timeouts as startup parameters (the old pool)'] = {
      direct: await attempt(async () => {
        const c = await client(database.url, asStartup);
        const { rows } = await c.query('show statement_timeout');
        await c.end();
        return `connects, statement_timeout = ${rows[0].statement_timeout}`;
      }),
      pgbouncer: await attempt(async () => {
        await (await client(through, asStartup)).end();
        return 'connects';
      }),
    };
    expect(findings['timeouts as startup parameters (the old pool)'].pgbouncer).toMatch(/unsupported startup parameter: statement_timeout/);

    const { rows } = await database.pool.query<{ role: string }>('select current_user as role');
    role = rows[0]!.role;
    await applySessionDefaults(database.db, role, database.name);
    const show = async (url: string) => {
      const pool = createPool(url, { max: 1 });
      const db = createDatabase(pool);
      try {
        const result = await sql<
          Record<string, string>
        >`select current_setting('statement_timeout') as statement_timeout, current_setting('lock_timeout') as lock_timeout,
          current_setting('idle_in_transaction_session_timeout') as idle, current_setting('application_name') as application_name`.execute(
          db,
        );
        return result.rows[0]!;
      } finally {
        await closeDatabase(db);
      }
    };
    const expected = { statement_timeout: '10s', lock_timeout: '2s', idle: '30s', application_name: 'storefront' };
    expect(await show(database.url)).toEqual(expected);
    expect(await show(through)).toEqual(expected);
    expect(SESSION_DEFAULTS.statement_timeout).toBe(10_000);
    findings["timeouts stored on the role (the guide's pool)"] = {
      direct: 'statement_timeout = 10s, lock_timeout = 2s, idle_in_transaction_session_timeout = 30s',
      pgbouncer: 'statement_timeout = 10s, lock_timeout = 2s, idle_in_transaction_session_timeout = 30s',
    };
  });

  test("a lock wait through PgBouncer ends at the role's lock_timeout", async ({ database }) => {
    const holder = await client(database.url);
    const pool = createPool(pair.url(database.url), { max: 1 });
    const db = createDatabase(pool);
    try {
      await holder.query('begin');
      await holder.query('select 1 from products where id = 1 for update');
      const started = performance.now();
      const error = await sql`update products set stock = stock where id = 1`.execute(db).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('55P03');
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    } finally {
      await holder.query('rollback');
      await holder.end();
      await closeDatabase(db);
    }
  });

  test('a session SET leaks into another client; SET LOCAL does not', async ({ database }) => {
    const leak = async (url: string, statement: string, inTransaction: boolean) => {
      const a = await client(url);
      const b = await client(url);
      try {
        if (inTransaction) await a.query('begin');
        await a.query(statement);
        if (inTransaction) await a.query('commit');
        const { rows } = await b.query('show statement_timeout');
        return `another client sees statement_timeout = ${rows[0].statement_timeout}`;
      } finally {
        await a.query('reset all').catch(() => {});
        await a.end();
        await b.end();
      }
    };
    const session = {
      direct: await leak(database.url, 'set statement_timeout = 1234', false),
      pgbouncer: await leak(single.url(database.url), 'set statement_timeout = 1234', false),
    };
    const local = {
      direct: await leak(database.url, 'set local statement_timeout = 1234', true),
      pgbouncer: await leak(single.url(database.url), 'set local statement_timeout = 1234', true),
    };
    expect(session.direct).toBe('another client sees statement_timeout = 10s');
    expect(session.pgbouncer).toBe('another client sees statement_timeout = 1234ms');
    expect(local.pgbouncer).toBe('another client sees statement_timeout = 10s');
    findings['session SET'] = session;
    findings['SET LOCAL inside a transaction'] = local;
  });

  test('a session advisory lock is shared with whoever gets the same server connection', async ({ database }) => {
    const exclusive = async (url: string) => {
      const a = await client(url);
      const b = await client(url);
      try {
        await a.query('select pg_advisory_lock(1616)');
        const { rows } = await b.query<{ got: boolean }>('select pg_try_advisory_lock(1616) as got');
        return rows[0]!.got ? 'a second client also gets the lock' : 'a second client is refused the lock';
      } finally {
        await a.query('select pg_advisory_unlock_all()').catch(() => {});
        await b.query('select pg_advisory_unlock_all()').catch(() => {});
        await a.end();
        await b.end();
      }
    };
    findings['session advisory lock'] = { direct: await exclusive(database.url), pgbouncer: await exclusive(single.url(database.url)) };
    expect(findings['session advisory lock']).toEqual({
      direct: 'a second client is refused the lock',
      pgbouncer: 'a second client also gets the lock',
    });
  });

  test('LISTEN through PgBouncer never hears a NOTIFY', async ({ database }) => {
    const hears = async (url: string) => {
      const listener = await client(url);
      const notifier = await client(database.url);
      let heard = 0;
      listener.on('notification', () => heard++);
      try {
        await listener.query('listen hb_pgbouncer_test');
        await notifier.query(`select pg_notify('hb_pgbouncer_test', 'x')`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        return heard ? 'the listener hears the notification' : 'the listener hears nothing within 500 ms';
      } finally {
        await listener.end();
        await notifier.end();
      }
    };
    findings['LISTEN'] = { direct: await hears(database.url), pgbouncer: await hears(single.url(database.url)) };
    expect(findings['LISTEN']).toEqual({
      direct: 'the listener hears the notification',
      pgbouncer: 'the listener hears nothing within 500 ms',
    });
  });

  test('a named prepared statement is missing when the next transaction lands on another server connection', async ({ database }) => {
    const reuse = async (url: string) => {
      const a = await client(url);
      const b = await client(url);
      const named = { name: 'hb-price', text: 'select price_cents from products where id = $1', values: [1] };
      try {
        await a.query(named);
        // B takes the server connection A just used (PgBouncer hands out the most recent one first).
        await b.query('begin');
        await b.query('select 1');
        return await attempt(async () => {
          await a.query(named);
          return 'the second execution works';
        });
      } finally {
        await b.query('rollback').catch(() => {});
        await a.end();
        await b.end();
      }
    };
    findings['named prepared statement'] = { direct: await reuse(database.url), pgbouncer: await reuse(pair.url(database.url)) };
    expect(findings['named prepared statement'].direct).toBe('the second execution works');
    expect(findings['named prepared statement'].pgbouncer).toMatch(/26000.*prepared statement "hb-price" does not exist/);
  });

  test('the Kysely repository works unchanged: unnamed statements, one transaction per call', async ({ database }) => {
    const pool = createPool(pair.url(database.url), { max: 4 });
    const db = createDatabase(pool);
    try {
      const repo = createKyselyRepository(db);
      expect((await repo.getProduct(5))?.id).toBe(5);
      expect((await repo.getCategorySubtree(1)).length).toBeGreaterThan(1);
      expect((await repo.listCustomerOrders(1)).length).toBeGreaterThanOrEqual(0);
      const orders = await Promise.all(
        [1, 2, 3, 4].map((customerId) => repo.placeOrder({ customerId, lines: [{ productId: 3, quantity: 1 }] })),
      );
      expect(orders.map((order) => order.lines.length)).toEqual([1, 1, 1, 1]);
      findings['Kysely repository (reads, transactions)'] = { direct: 'works', pgbouncer: 'works' };
    } finally {
      await closeDatabase(db);
    }
  });

  test("the guide's converted queries return the same rows through PgBouncer as directly", async ({ database }) => {
    const pool = createPool(pair.url(database.url), { max: 2 });
    const through = createDatabase(pool);
    try {
      const queries = {
        cheapProducts: (db: typeof through) => cheapProducts(db, 2, 50_000),
        recentOrders: (db: typeof through) => recentOrders(db, ['pending', 'paid'], 10),
        categoryStock: (db: typeof through) => categoryStock(db, 2),
        productsByPrice: (db: typeof through) => productsByPrice(db, 10),
        dailyOrders: (db: typeof through) => dailyOrders(db, '2025-12-30', 10),
        loadWithJsonArrayFrom: (db: typeof through) => loadWithJsonArrayFrom(db, [1, 2, 3]),
        loadWithWhereIn: (db: typeof through) => loadWithWhereIn(db, [1, 2, 3]),
      };
      for (const [name, query] of Object.entries(queries)) {
        const direct = (await query(database.db)) as unknown[];
        expect(direct.length, `${name} returns rows to compare`).toBeGreaterThan(0);
        expect(await query(through), name).toEqual(direct);
      }
    } finally {
      await closeDatabase(through);
    }
  });

  test('the service runs through PgBouncer, with its cache listener on a direct connection', async ({ database }) => {
    const service = await startStorefrontService({ databaseUrl: pair.url(database.url), listenUrl: database.url, poolSize: 4 });
    try {
      await service.listener.ready;
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${service.url}/products/5`)).status).toBe(200);
      const placed = await fetch(`${service.url}/orders`, {
        method: 'POST',
        body: JSON.stringify({ customerId: 1, lines: [{ productId: 4, quantity: 1 }] }),
      });
      expect(placed.status).toBe(201);
      const timeouts = await database.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'storefront'`,
        [database.name],
      );
      expect(timeouts.rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });

  test('a runbook pointed at PgBouncer exits 3 and never reports healthy; the kit helper names the fix in one line', async ({
    database,
  }) => {
    const result = await runbook('health-check', QUICK_HEALTH_CHECK, { url: single.url(database.url) });
    expect(result.code).toBe(3);
    expect(result.output).toMatch(/unsupported startup parameter|connection pooler/);
    const error = await client(single.url(database.url), { statement_timeout: 1000 }).catch((e: unknown) => e);
    const line = poolerRefusal(error, '127.0.0.1:6432/storefront');
    expect(line).toBe(
      '127.0.0.1:6432/storefront is a connection pooler (it refused the startup parameter statement_timeout); runbooks need a direct connection to PostgreSQL: point DATABASE_URL or --database-url at the server itself',
    );
    expect(line).not.toContain('\n');
    expect(poolerRefusal(new Error('connection refused'), 'x')).toBeUndefined();
    findings['runbook (kit sends its timeouts at startup)'] = { direct: 'works', pgbouncer: `exit 3: ${line}` };
  });

  test('what broke and what worked is recorded for the troubleshooting page', async () => {
    expect(Object.keys(findings)).toHaveLength(9);
    await expect(evidenceText()).toMatchFileSnapshot(evidencePath('setup', 'pgbouncer-transaction-pooling.json'));
  });
});

function evidenceText(): string {
  const order = [
    'timeouts as startup parameters (the old pool)',
    "timeouts stored on the role (the guide's pool)",
    'session SET',
    'SET LOCAL inside a transaction',
    'session advisory lock',
    'LISTEN',
    'named prepared statement',
    'Kysely repository (reads, transactions)',
    'runbook (kit sends its timeouts at startup)',
  ];
  const table = Object.fromEntries(order.filter((key) => findings[key]).map((key) => [key, findings[key]]));
  return `${JSON.stringify(table, null, 2)}\n`;
}
