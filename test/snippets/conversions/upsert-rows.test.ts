import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { addItem, addItemLegacy, registerCustomer, registerCustomerLegacy } from '../../../snippets/conversions/upsert-rows.ts';
import { readBack, recordSql, rolledBackKysely, rolledBackLegacy } from './support.ts';

describe('converting ON CONFLICT upserts', () => {
  test('adding a product already on the order adds to its quantity, and a new product adds a line, both ways', async ({ database }) => {
    const { rows } = await database.pool.query(
      `select order_id, product_id, quantity, unit_price_cents from order_items order by order_id, product_id limit 1`,
    );
    const existing = rows[0];
    const { rows: others } = await database.pool.query(
      `select min(id) as id from products where id not in (select product_id from order_items where order_id = $1)`,
      [existing.order_id],
    );
    const again = { orderId: existing.order_id, productId: existing.product_id, quantity: 2, unitPriceCents: 1 };
    const fresh = { orderId: existing.order_id, productId: others[0].id, quantity: 1, unitPriceCents: 500 };
    const lines = `select product_id, quantity, unit_price_cents from order_items where order_id = ${Number(existing.order_id)} order by product_id`;

    const legacy = await rolledBackLegacy(database.pool, async (client) => {
      await addItemLegacy(client, again);
      await addItemLegacy(client, fresh);
      return (await client.query(lines)).rows;
    });
    // The existing line keeps its price and gains the quantity; the new line is inserted as given.
    expect(legacy).toContainEqual({
      product_id: existing.product_id,
      quantity: existing.quantity + 2,
      unit_price_cents: existing.unit_price_cents,
    });
    expect(legacy).toContainEqual({ product_id: fresh.productId, quantity: 1, unit_price_cents: 500 });

    // One statement covers both cases: the evidence shows it sent twice, once per call.
    const kysely = await recordSql(database.pool, 'upsert-rows.add-item', () =>
      rolledBackKysely(database.db, async (trx) => {
        await addItem(trx, again);
        await addItem(trx, fresh);
        return (await trx.executeQuery(readBack(lines))).rows;
      }),
    );
    expect(kysely).toEqual(legacy);
  });

  test('registering an email that exists changes nothing and reports false, both ways', async ({ database }) => {
    const legacy = await rolledBackLegacy(database.pool, async (client) => ({
      known: await registerCustomerLegacy(client, 'customer1@example.test', 'Someone Else'),
      fresh: await registerCustomerLegacy(client, 'new.customer@example.test', 'New Customer'),
      names: (
        await client.query(
          `select email, name from customers where email in ('customer1@example.test', 'new.customer@example.test') order by email`,
        )
      ).rows,
    }));
    expect(legacy.known).toBe(false);
    expect(legacy.fresh).toBe(true);

    const kysely = await recordSql(database.pool, 'upsert-rows.register-customer', () =>
      rolledBackKysely(database.db, async (trx) => ({
        known: await registerCustomer(trx, 'customer1@example.test', 'Someone Else'),
        fresh: await registerCustomer(trx, 'new.customer@example.test', 'New Customer'),
        names: (
          await trx.executeQuery(
            readBack(
              `select email, name from customers where email in ('customer1@example.test', 'new.customer@example.test') order by email`,
            ),
          )
        ).rows,
      })),
    );
    expect(kysely).toEqual(legacy);
  });
});
