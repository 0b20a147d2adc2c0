// Exercise 6: transactions. Run `npm run exercise -- 6` to check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';
import { NotEnoughStockError, UnknownProductError } from './errors.ts';

export { NotEnoughStockError, UnknownProductError };

// Legacy: a client from the pool, then begin / two updates / commit, with a rollback in
// `catch` and client.release() in `finally` (see placeOrder in snippets/app/legacy-repository.ts).
export async function transferStock(
  db: Kysely<Database>,
  fromProductId: number,
  toProductId: number,
  quantity: number,
): Promise<{ fromStock: number; toStock: number }> {
  // TODO: inside db.transaction().execute(async (trx) => { ... }), using trx (not db):
  //   1. take `quantity` from the source, only if it has that much stock
  //      (update ... where stock >= quantity returning stock); otherwise throw NotEnoughStockError;
  //   2. add `quantity` to the target; if no row was updated, throw UnknownProductError.
  //   A throw inside the callback rolls everything back.
  throw new Error('TODO: implement transferStock');
}
