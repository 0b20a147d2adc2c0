import assert from 'node:assert/strict';
import type { Exercise } from '../kit.ts';

type Module = typeof import('./solution.ts');

export const exercise: Exercise<Module> = {
  number: 10,
  slug: '10-testing',
  title: 'Testing the data layer',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'withRollback returns what the callback returned and leaves no row behind',
      hint: 'const trx = await db.startTransaction().execute(); try { return await work(trx) } finally { await trx.rollback().execute() }',
      async run({ withRollback }, { db, pool }) {
        const email = `rolled-back-${process.pid}@example.test`;
        const id = await withRollback(db, async (trx) => {
          const row = await trx.insertInto('customers').values({ email, name: 'Temp' }).returning('id').executeTakeFirstOrThrow();
          return row.id;
        });
        assert.equal(typeof id, 'number');
        const { rows } = await pool.query(`select count(*) as n from customers where email = $1`, [email]);
        assert.equal(rows[0].n, 0, 'the inserted customer is still there');
      },
    },
    {
      name: 'withRollback rethrows an error from the callback and still undoes its writes',
      hint: 'Roll back in `finally`, not only after success; let the error propagate.',
      async run({ withRollback }, { db, pool }) {
        const email = `failed-${process.pid}@example.test`;
        await assert.rejects(
          withRollback(db, async (trx) => {
            await trx.insertInto('customers').values({ email, name: 'Temp' }).execute();
            throw new Error('boom');
          }),
          /boom/,
        );
        const { rows } = await pool.query(`select count(*) as n from customers where email = $1`, [email]);
        assert.equal(rows[0].n, 0);
      },
    },
    {
      name: 'withRollback gives its connection back to the pool',
      hint: 'A transaction that is never committed or rolled back keeps its connection; ten such tests exhaust a pool of five.',
      async run({ withRollback }, { db, pool }) {
        for (let i = 0; i < pool.options.max + 2; i++)
          await withRollback(db, async (trx) => trx.selectFrom('feature_flags').selectAll().execute());
        assert.equal(pool.totalCount - pool.idleCount, 0, 'connections are still checked out');
      },
    },
    {
      name: 'countRows counts the rows of each table it is given',
      hint: "Loop over the tables: db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('rows')).executeTakeFirstOrThrow().",
      async run({ countRows }, { db, pool }) {
        const { rows } = await pool.query(
          `select (select count(*) from orders) as orders, (select count(*) from categories) as categories`,
        );
        assert.deepEqual(await countRows(db, ['orders', 'categories']), rows[0]);
      },
    },
  ],
};
