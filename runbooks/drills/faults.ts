// Real faults for practice (npm run drill) and for the runbook tests: each one
// opens its own connections and really holds locks, idles, sleeps or deadlocks.
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

export const FAULTS = ['lock', 'idle-in-transaction', 'long-query', 'dead-tuples', 'deadlock', 'migration'] as const;
export type FaultName = (typeof FAULTS)[number];

export interface Fault {
  /** Backends the fault holds open (the culprits a runbook should name). */
  pids: number[];
  /** What the fault did, for the drill script. */
  description: string;
  /** Removes the fault and closes its connections. */
  clear(): Promise<void>;
}

/** Sessions of every drill carry this prefix, so `drill --clear` can find leftovers. */
export const DRILL_APP_PREFIX = 'drill/';

async function client(url: string, name: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: `${DRILL_APP_PREFIX}${name}` });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function pidOf(c: pg.Client): Promise<number> {
  return (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('drill: the fault did not take hold in time');
    await sleep(25);
  }
}

const endAll = (clients: pg.Client[]) => Promise.all(clients.map((c) => c.end().catch(() => {})));

/** One transaction holds a row lock on products and idles; `waiters` sessions queue behind it. */
export async function holdLock(url: string, waiters = 2): Promise<Fault & { holderPid: number; waiterPids: number[] }> {
  const holder = await client(url, 'lock-holder');
  const holderPid = await pidOf(holder);
  await holder.query('begin');
  await holder.query('update products set stock = stock where id = 1');
  const waiting: pg.Client[] = [];
  const waiterPids: number[] = [];
  for (let i = 0; i < waiters; i++) {
    const w = await client(url, 'lock-waiter');
    waiterPids.push(await pidOf(w));
    w.query('update products set stock = stock + 1 where id = 1').catch(() => {});
    waiting.push(w);
  }
  const probe = await client(url, 'probe');
  // Waiters queue behind each other too, so wait until each one is waiting on a lock.
  await waitUntil(
    async () =>
      (
        await probe.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where pid = any($1) and wait_event_type = 'Lock'`,
          [waiterPids],
        )
      ).rows[0]!.n >= waiters,
  );
  await probe.end();
  return {
    holderPid,
    waiterPids,
    pids: [holderPid],
    description: `PID ${holderPid} holds a row lock on products (id 1) inside an idle transaction; ${waiters} session(s) wait for it`,
    clear: async () => {
      await holder.query('rollback').catch(() => {});
      await endAll([holder, ...waiting]);
    },
  };
}

/** Sessions that began a transaction, touched a table, and went idle without committing. */
export async function idleInTransaction(url: string, count = 5): Promise<Fault> {
  const clients: pg.Client[] = [];
  const pids: number[] = [];
  for (let i = 0; i < count; i++) {
    const c = await client(url, 'idle-in-transaction');
    pids.push(await pidOf(c));
    await c.query('begin');
    await c.query('select count(*) from orders');
    clients.push(c);
  }
  return {
    pids,
    description: `${count} sessions idle in transaction (PIDs ${pids.join(', ')})`,
    clear: () => endAll(clients).then(() => {}),
  };
}

/** A statement that runs for a long time: select pg_sleep(seconds). */
export async function longQuery(url: string, seconds = 600): Promise<Fault> {
  const c = await client(url, 'long-query');
  const pid = await pidOf(c);
  // A literal (not $1) so the statement can be EXPLAINed as it appears in pg_stat_activity.
  c.query(`select pg_sleep(${Math.trunc(seconds)})`).catch(() => {});
  const probe = await client(url, 'probe');
  await waitUntil(
    async () =>
      (await probe.query<{ state: string | null }>(`select state from pg_stat_activity where pid = $1`, [pid])).rows[0]?.state === 'active',
  );
  await probe.end();
  return { pids: [pid], description: `PID ${pid} runs select pg_sleep(${seconds})`, clear: () => endAll([c]).then(() => {}) };
}

/** A mass update on a table whose autovacuum is off: every row leaves a dead tuple behind. */
export async function deadTuples(url: string, table: 'products' | 'orders' = 'products'): Promise<Fault> {
  const c = await client(url, 'dead-tuples');
  // The table name is one of two literals checked by the type above, never user input.
  await c.query(`alter table ${table} set (autovacuum_enabled = false)`);
  await c.query(`update ${table} set id = id`);
  await c.query(`update ${table} set id = id`);
  // Ending the session flushes its statistics, so n_dead_tup shows at once.
  await c.end();
  return {
    pids: [],
    description: `${table}: every row updated twice with autovacuum off; dead tuples are waiting for VACUUM`,
    clear: async () => {
      const fix = await client(url, 'dead-tuples-clear');
      await fix.query(`alter table ${table} reset (autovacuum_enabled)`);
      await fix.query(`vacuum (analyze) ${table}`);
      await fix.end();
    },
  };
}

/** Two sessions lock two rows in opposite order until PostgreSQL kills one: a deadlock. */
async function deadlockOnce(url: string): Promise<void> {
  const [a, b] = await Promise.all([client(url, 'deadlock-a'), client(url, 'deadlock-b')]);
  try {
    await a.query('begin');
    await b.query('begin');
    await a.query('update customers set name = name where id = 1');
    await b.query('update customers set name = name where id = 2');
    const first = a.query('update customers set name = name where id = 2').catch((e: unknown) => e);
    const second = b.query('update customers set name = name where id = 1').catch((e: unknown) => e);
    await Promise.all([first, second]);
  } finally {
    await a.query('rollback').catch(() => {});
    await b.query('rollback').catch(() => {});
    // Backends flush their statistics when they exit, so pg_stat_database counts the deadlock now.
    await endAll([a, b]);
  }
}

/** Deadlocks one pair after another until cleared. */
export async function deadlockLoop(url: string): Promise<Fault> {
  let running = true;
  let count = 0;
  const loop = (async () => {
    while (running) {
      await deadlockOnce(url).catch(() => {});
      count++;
      await sleep(200);
    }
  })();
  await sleep(50);
  return {
    pids: [],
    description: 'pairs of sessions updating customers 1 and 2 in opposite order, deadlocking about once a second',
    clear: async () => {
      running = false;
      await loop;
      void count;
    },
  };
}

/**
 * "A migration to roll back": the release is live (all migrations applied and the
 * data_layer flag on kysely). Clearing it is the rollback runbook's job.
 */
export async function releaseLive(url: string): Promise<Fault> {
  const { createPool } = await import('../../lib/db/connect.ts');
  const { createDatabase: createKysely } = await import('../../snippets/setup/create-database.ts');
  const { migrateToLatest } = await import('../../snippets/app/migrate.ts');
  const { setDataLayerFlag } = await import('../../snippets/app/data-layer-switch.ts');
  const pool = createPool(url, 1);
  const db = createKysely(pool);
  try {
    await migrateToLatest(db);
    await setDataLayerFlag(db, 'kysely');
  } finally {
    await db.destroy();
  }
  return {
    pids: [],
    description: 'all migrations applied and data_layer = kysely: a release the rollback runbook can undo',
    clear: async () => {},
  };
}

export async function injectFault(name: FaultName, url: string): Promise<Fault> {
  switch (name) {
    case 'lock':
      return holdLock(url);
    case 'idle-in-transaction':
      return idleInTransaction(url);
    case 'long-query':
      return longQuery(url);
    case 'dead-tuples':
      return deadTuples(url);
    case 'deadlock':
      return deadlockLoop(url);
    case 'migration':
      return releaseLive(url);
  }
}
