// What a busy table feels while an index is built on it: one session inserts orders in a
// loop, as the Storefront does all day, while another builds an index on `orders`, plainly
// or CONCURRENTLY. The longest insert is the stall your users would have seen.
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

export interface WriteStall {
  build: 'plain' | 'concurrent';
  /** Rows in orders when the index was built. */
  rows: number;
  buildMs: number;
  /** Inserts that finished while the build ran. */
  writesDuringBuild: number;
  /** The slowest insert that overlapped the build. */
  longestWriteMs: number;
  /** The median insert outside the build, for comparison. */
  medianWriteMsOutside: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds `rows` orders spread over the existing customers, so that building an index takes a while. */
export async function growOrders(pool: pg.Pool, rows: number): Promise<number> {
  await pool.query(
    `with c as (select array_agg(id order by id) as ids from customers)
     insert into orders (customer_id, status, created_at)
     select ids[1 + i % cardinality(ids)], 'paid', now() - make_interval(secs => i)
       from c, generate_series(1, $1::int) as i`,
    [rows],
  );
  await pool.query('analyze orders');
  const {
    rows: [count],
  } = await pool.query<{ n: number }>('select count(*)::int as n from orders');
  return count!.n;
}

// #region measure
export async function measureWriteStall(pool: pg.Pool, build: 'plain' | 'concurrent', settleMs = 200): Promise<WriteStall> {
  const writer = await pool.connect();
  const builder = await pool.connect();
  try {
    const {
      rows: [before],
    } = await writer.query<{ customer: number; n: number }>(
      'select (select min(id) from customers) as customer, (select count(*)::int from orders) as n',
    );
    const { customer, n } = before!;
    const writes: { start: number; end: number }[] = [];
    let running = true;
    const writing = (async () => {
      while (running) {
        const start = performance.now();
        await writer.query('insert into orders (customer_id) values ($1)', [customer]);
        writes.push({ start, end: performance.now() });
      }
    })();

    await sleep(settleMs);
    const buildStart = performance.now();
    await builder.query(
      `create index ${build === 'concurrent' ? 'concurrently ' : ''}orders_stall_probe_idx on orders (customer_id, created_at)`,
    );
    const buildEnd = performance.now();
    await sleep(settleMs);
    running = false;
    await writing;
    await builder.query('drop index orders_stall_probe_idx');

    const overlapping = writes.filter((w) => w.end >= buildStart && w.start <= buildEnd);
    const outside = writes
      .filter((w) => w.end < buildStart || w.start > buildEnd)
      .map((w) => w.end - w.start)
      .sort((a, b) => a - b);
    return {
      build,
      rows: n,
      buildMs: buildEnd - buildStart,
      writesDuringBuild: writes.filter((w) => w.end >= buildStart && w.end <= buildEnd).length,
      longestWriteMs: Math.max(0, ...overlapping.map((w) => w.end - w.start)),
      medianWriteMsOutside: outside[Math.floor(outside.length / 2)] ?? 0,
    };
  } finally {
    builder.release();
    writer.release();
  }
}
// #endregion measure
