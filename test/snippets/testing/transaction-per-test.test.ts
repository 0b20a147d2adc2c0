// The example a team copies: repository tests that each run in a transaction the
// fixture rolls back. The file gets one clone of the seeded template; the tests in it
// share that clone but never see each other's writes.
// #region example
import { test, describe, expect } from '../../../snippets/testing/transaction-per-test.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';

describe('the Kysely repository, one rolled-back transaction per test', () => {
  test('a price change is returned and visible inside the same test', async ({ trx }) => {
    const repo = createKyselyRepository(trx);
    expect(await repo.updateProductPrice(5, 1)).toMatchObject({ id: 5, priceCents: 1 });
    expect(await repo.getProduct(5)).toMatchObject({ priceCents: 1 });
  });

  test('the next test starts from the seeded price again', async ({ trx }) => {
    const product = await createKyselyRepository(trx).getProduct(5);
    expect(product?.priceCents).not.toBe(1);
  });

  test('an uncommitted write is invisible to other connections', async ({ trx, database }) => {
    await trx.insertInto('customers').values({ email: 'probe@example.test', name: 'Probe' }).execute();
    const seen = (db: typeof database.db) => db.selectFrom('customers').select('id').where('email', '=', 'probe@example.test').execute();
    expect(await seen(trx)).toHaveLength(1);
    // database.db checks out a different connection, outside this transaction.
    expect(await seen(database.db)).toHaveLength(0);
  });
});
// #endregion example

// #region limit
describe('what does not fit in a per-test transaction', () => {
  test('code that opens its own transaction fails inside one: give it a clone', async ({ trx }) => {
    const repo = createKyselyRepository(trx);
    await expect(repo.placeOrder({ customerId: 1, lines: [{ productId: 5, quantity: 1 }] })).rejects.toThrow(
      /transaction method for a Transaction is not supported/,
    );
  });
});
// #endregion limit

describe('after the tests above', () => {
  test('nothing they wrote was committed to the clone', async ({ database }) => {
    const probes = await database.db.selectFrom('customers').select('id').where('email', '=', 'probe@example.test').execute();
    expect(probes).toHaveLength(0);
    const product = await database.db.selectFrom('products').select('price_cents').where('id', '=', 5).executeTakeFirstOrThrow();
    expect(product.price_cents).not.toBe(1);
  });
});
