// Real errors from PostgreSQL, each mapped to the outcome the application acts on.
import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, test } from '../../harness/database.ts';
import { classifyDatabaseError, DatabaseOutcomeError, SQLSTATE_OUTCOMES } from '../../../snippets/app/database-errors.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { startStorefrontService } from '../../../snippets/service/storefront-service.ts';

describe('SQLSTATE to outcome', () => {
  test('each SQLSTATE in the table comes from a real statement and maps to its outcome', async ({ database }) => {
    const seen: Record<string, unknown> = {};
    const capture = async (work: () => Promise<unknown>) =>
      classifyDatabaseError(
        await work().then(
          () => undefined,
          (e: unknown) => e,
        ),
      );

    seen.duplicate = await capture(() => database.db.insertInto('feature_flags').values({ key: 'data_layer', value: 'legacy' }).execute());
    seen.unknownCustomer = await capture(() =>
      createKyselyRepository(database.db).placeOrder({ customerId: 999_999, lines: [{ productId: 1, quantity: 1 }] }),
    );
    seen.slow = await capture(() =>
      database.db.transaction().execute(async (trx) => {
        await sql`set local statement_timeout = 20`.execute(trx);
        await sql`select pg_sleep(1)`.execute(trx);
      }),
    );
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from products where id = 2 for update');
      seen.locked = await capture(() =>
        database.db.transaction().execute(async (trx) => {
          await sql`set local lock_timeout = 20`.execute(trx);
          await trx.updateTable('products').set({ stock: 1 }).where('id', '=', 2).execute();
        }),
      );
    } finally {
      await holder.query('rollback');
      await holder.end();
    }

    const summary = Object.fromEntries(
      Object.entries(seen).map(([what, error]) => [
        what,
        error instanceof DatabaseOutcomeError ? `${error.sqlstate} ${error.outcome} ${error.status}` : String(error),
      ]),
    );
    expect(summary).toEqual({
      duplicate: '23505 conflict 409',
      unknownCustomer: '23503 not-found 422',
      slow: '57014 timeout 503',
      locked: '55P03 lock-unavailable 503',
    });
    expect((seen.unknownCustomer as DatabaseOutcomeError).constraint).toBe('orders_customer_id_fkey');
    expect(Object.keys(SQLSTATE_OUTCOMES).sort()).toEqual(['23503', '23505', '40001', '40P01', '55P03', '57014']);
  });

  test('an error outside the table passes through unchanged', async ({ database }) => {
    const error = await sql`select * from no_such_table`.execute(database.db).catch((e: unknown) => e);
    expect(classifyDatabaseError(error)).toBe(error);
  });

  test('the service answers an order for an unknown customer with 422, not 500', async ({ database }) => {
    const service = await startStorefrontService({ databaseUrl: database.url, log: () => {} });
    try {
      const response = await fetch(`${service.url}/orders`, {
        method: 'POST',
        body: JSON.stringify({ customerId: 999_999, lines: [{ productId: 1, quantity: 1 }] }),
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ error: 'a referenced row does not exist (orders_customer_id_fkey)', outcome: 'not-found' });
    } finally {
      await service.close();
    }
  });
});
