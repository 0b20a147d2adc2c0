import assert from 'node:assert/strict';
import type pg from 'pg';
import type { Exercise } from '../kit.ts';
import { NotEnoughStockError, UnknownProductError } from './errors.ts';

type Module = typeof import('./solution.ts');

async function twoStockedProducts(pool: pg.Pool): Promise<[{ id: number; stock: number }, { id: number; stock: number }]> {
  const { rows } = await pool.query(`select id, stock from products where stock >= 10 order by id limit 2`);
  return [rows[0], rows[1]];
}

async function stockOf(pool: pg.Pool, id: number): Promise<number> {
  const { rows } = await pool.query(`select stock from products where id = $1`, [id]);
  return rows[0].stock;
}

export const exercise: Exercise<Module> = {
  number: 6,
  slug: '06-transactions',
  title: 'Transactions',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'transferStock moves the quantity from one product to the other and returns both new stocks',
      hint: "set((eb) => ({ stock: eb('stock', '-', quantity) })) on the source and '+' on the target, each with .returning('stock').",
      async run({ transferStock }, { db, pool }) {
        const [from, to] = await twoStockedProducts(pool);
        const result = await transferStock(db, from.id, to.id, 3);
        assert.deepEqual(result, { fromStock: from.stock - 3, toStock: to.stock + 3 });
        assert.equal(await stockOf(pool, from.id), from.stock - 3);
        assert.equal(await stockOf(pool, to.id), to.stock + 3);
      },
    },
    {
      name: 'transferStock throws NotEnoughStockError and changes nothing when the source has too little stock',
      hint: "Put the condition in the UPDATE (.where('stock', '>=', quantity)) so no other transaction can slip in between a read and the write; no row back means not enough stock.",
      async run({ transferStock }, { db, pool }) {
        const [from, to] = await twoStockedProducts(pool);
        await assert.rejects(transferStock(db, from.id, to.id, from.stock + 1), NotEnoughStockError);
        assert.equal(await stockOf(pool, from.id), from.stock);
        assert.equal(await stockOf(pool, to.id), to.stock);
      },
    },
    {
      name: 'transferStock rolls the source back when the target does not exist',
      hint: 'Run both updates on `trx` inside db.transaction().execute(...); an update on `db` runs outside the transaction and commits on its own.',
      async run({ transferStock }, { db, pool }) {
        const [from] = await twoStockedProducts(pool);
        await assert.rejects(transferStock(db, from.id, 999_999, 2), UnknownProductError);
        assert.equal(await stockOf(pool, from.id), from.stock, 'the stock taken from the source must be back');
      },
    },
  ],
};
