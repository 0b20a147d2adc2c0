// Exercise 6, solved: both updates commit together or not at all.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';
import { NotEnoughStockError, UnknownProductError } from './errors.ts';

export { NotEnoughStockError, UnknownProductError };

// #region transfer-stock
export async function transferStock(
  db: Kysely<Database>,
  fromProductId: number,
  toProductId: number,
  quantity: number,
): Promise<{ fromStock: number; toStock: number }> {
  return db.transaction().execute(async (trx) => {
    const from = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '-', quantity) }))
      .where('id', '=', fromProductId)
      .where('stock', '>=', quantity)
      .returning('stock')
      .executeTakeFirst();
    if (!from) throw new NotEnoughStockError(fromProductId);

    const to = await trx
      .updateTable('products')
      .set((eb) => ({ stock: eb('stock', '+', quantity) }))
      .where('id', '=', toProductId)
      .returning('stock')
      .executeTakeFirst();
    // Throwing inside the callback makes Kysely roll back the first update too.
    if (!to) throw new UnknownProductError(toProductId);

    return { fromStock: from.stock, toStock: to.stock };
  });
}
// #endregion transfer-stock
