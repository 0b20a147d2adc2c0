// A client from `pool.connect()` belongs to you until you call `release()`. Forget it
// and the pool shrinks by one connection for good; forget it after an error inside
// BEGIN and the connection also sits "idle in transaction", holding its locks.
// `pool.query()` and Kysely check clients out and back in for you.
import type pg from 'pg';

// #region leaky
export async function reserveStockLeaky(pool: pg.Pool, productId: number, quantity: number): Promise<number> {
  const client = await pool.connect();
  await client.query('begin');
  const { rows } = await client.query(`select stock from products where id = $1 for update`, [productId]);
  if (!rows[0] || rows[0].stock < quantity) throw new Error(`cannot reserve ${quantity} of product ${productId}`); // leaks, in a transaction
  await client.query(`update products set stock = stock - $2 where id = $1`, [productId, quantity]);
  await client.query('commit');
  return rows[0].stock - quantity; // leaks too: release() is never called
}
// #endregion leaky

// #region fixed
export async function reserveStock(pool: pg.Pool, productId: number, quantity: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query(`select stock from products where id = $1 for update`, [productId]);
    if (!rows[0] || rows[0].stock < quantity) throw new Error(`cannot reserve ${quantity} of product ${productId}`);
    await client.query(`update products set stock = stock - $2 where id = $1`, [productId, quantity]);
    await client.query('commit');
    return rows[0].stock - quantity;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
// #endregion fixed
