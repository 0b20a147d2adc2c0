// Both data layers must answer every method identically on the same seeded data.
// Order is part of every method's contract, so results are compared as-is.
import { describe, expect, afterAll } from 'vitest';
import { test, cloneTemplate } from '../../harness/database.ts';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import pg from 'pg';
import { createPool } from '../../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../../snippets/setup/create-database.ts';
import { OutOfStockError, type StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';

function both(database: { pool: import('pg').Pool; db: import('kysely').Kysely<import('../../../snippets/app/database.ts').Database> }) {
  return { legacy: createLegacyRepository(database.pool), kysely: createKyselyRepository(database.db) };
}

async function expectSame<T>(database: Parameters<typeof both>[0], call: (repo: StorefrontRepository) => Promise<T>): Promise<T> {
  const { legacy, kysely } = both(database);
  const expected = await call(legacy);
  expect(await call(kysely)).toEqual(expected);
  return expected;
}

describe('legacy and kysely repositories return identical results', () => {
  test('getProduct, for an existing, an inactive and a missing product', async ({ database }) => {
    const { rows } = await database.pool.query(
      `select (select min(id) from products where active) as live, (select min(id) from products where not active) as dead`,
    );
    expect(await expectSame(database, (r) => r.getProduct(rows[0].live))).toMatchObject({ id: rows[0].live });
    expect(await expectSame(database, (r) => r.getProduct(rows[0].dead))).toBeUndefined();
    expect(await expectSame(database, (r) => r.getProduct(999_999))).toBeUndefined();
  });

  test('listProducts, for every filter alone, all combined, and across keyset pages', async ({ database }) => {
    const filters = [
      {},
      { categoryId: 3 },
      { minPriceCents: 10_000 },
      { maxPriceCents: 2_000 },
      { nameContains: 'kettle' },
      { inStockOnly: true },
      { minPriceCents: 1_000, maxPriceCents: 30_000, nameContains: 'LAMP', inStockOnly: true },
      { nameContains: "o'brien%_" },
    ];
    for (const filter of filters) await expectSame(database, (r) => r.listProducts(filter, { limit: 25 }));

    const first = await expectSame(database, (r) => r.listProducts({ inStockOnly: true }, { limit: 10 }));
    expect(first).toHaveLength(10);
    const second = await expectSame(database, (r) => r.listProducts({ inStockOnly: true }, { limit: 10, afterId: first.at(-1)!.id }));
    expect(second[0]!.id).toBeGreaterThan(first.at(-1)!.id);
  });

  test('getCategorySubtree, for a root, an inner node and a leaf', async ({ database }) => {
    const { rows } = await database.pool.query(`
      select (select min(id) from categories where parent_id is null) as root,
             (select min(c.id) from categories c where c.parent_id is not null and exists (select 1 from categories k where k.parent_id = c.id)) as inner,
             (select min(c.id) from categories c where not exists (select 1 from categories k where k.parent_id = c.id)) as leaf`);
    const subtree = await expectSame(database, (r) => r.getCategorySubtree(rows[0].root));
    expect(subtree.length).toBeGreaterThan(1);
    expect(subtree[0]).toMatchObject({ id: rows[0].root, depth: 0 });
    await expectSame(database, (r) => r.getCategorySubtree(rows[0].inner));
    expect(await expectSame(database, (r) => r.getCategorySubtree(rows[0].leaf))).toHaveLength(1);
  });

  test('getCategorySubtree stops at a cycle in parent_id instead of recursing for ever, both ways', async ({ database }) => {
    // A foreign key to the parent does not prevent a cycle: make a root the child of its own child.
    const { rows } = await database.pool.query(`
      select c.parent_id as root, c.id as child from categories c
       where c.parent_id in (select id from categories where parent_id is null) order by c.id limit 1`);
    const { root, child } = rows[0] as { root: number; child: number };
    const before = await createKyselyRepository(database.db).getCategorySubtree(root);
    // A guard of our own: without the fix the Kysely query recurses until it runs out of memory.
    const guarded = new pg.Pool({ connectionString: database.url, max: 2, options: '-c statement_timeout=10000' });
    guarded.on('error', () => {});
    const db = createKysely(guarded);
    try {
      await database.pool.query(`update categories set parent_id = $2 where id = $1`, [root, child]);
      const cyclic = { pool: guarded, db };
      const fromRoot = await expectSame(cyclic, (r) => r.getCategorySubtree(root));
      // The same nodes as before the cycle; only the root's parent changed.
      expect(fromRoot).toEqual(before.map((node) => (node.id === root ? { ...node, parentId: child } : node)));
      const fromChild = await expectSame(cyclic, (r) => r.getCategorySubtree(child));
      expect(new Set(fromChild.map((n) => n.id))).toEqual(new Set(before.map((n) => n.id)));
      expect(fromChild[0]).toMatchObject({ id: child, depth: 0 });
    } finally {
      await database.pool.query(`update categories set parent_id = null where id = $1`, [root]);
      await db.destroy();
    }
  });

  test('getCategoryPath, from the deepest category up to its root', async ({ database }) => {
    const { rows } = await database.pool.query(`select max(id) as id from categories`);
    const path = await expectSame(database, (r) => r.getCategoryPath(rows[0].id));
    expect(path[0]!.parentId).toBeNull();
    expect(path.at(-1)!.id).toBe(rows[0].id);
    expect(await expectSame(database, (r) => r.getCategoryPath(999_999))).toEqual([]);
  });

  test('listCustomerOrders, for customers with many, one and no orders', async ({ database }) => {
    const { rows } = await database.pool.query(`select customer_id, count(*) from orders group by 1 order by 2 desc, 1 limit 1`);
    const orders = await expectSame(database, (r) => r.listCustomerOrders(rows[0].customer_id));
    expect(orders.length).toBeGreaterThan(3);
    expect(orders[0]!.createdAt).toBeInstanceOf(Date);
    await expectSame(database, (r) => r.listCustomerOrders(999_999));
  });

  test('topSellingProducts', async ({ database }) => {
    const top = await expectSame(database, (r) => r.topSellingProducts(20));
    expect(top).toHaveLength(20);
    expect(top[0]!.unitsSold).toBeGreaterThanOrEqual(top[19]!.unitsSold);
  });
});

describe('legacy and kysely writes have identical effects', () => {
  // Writes change the data, so each implementation gets its own clone of the same template.
  const clones: { drop: () => Promise<void>; pool: import('pg').Pool }[] = [];
  afterAll(async () => {
    for (const clone of clones) {
      await clone.pool.end();
      await clone.drop();
    }
  });

  async function twoClones() {
    const make = async () => {
      const clone = await cloneTemplate();
      const pool = createPool(clone.url, 3);
      clones.push({ drop: clone.drop, pool });
      return { pool, db: createKysely(pool) };
    };
    const a = await make();
    const b = await make();
    return { legacy: { ...a, repo: createLegacyRepository(a.pool) }, kysely: { ...b, repo: createKyselyRepository(b.db) } };
  }

  test('placeOrder creates the same order and takes the same stock', async () => {
    const { legacy, kysely } = await twoClones();
    const { rows } = await legacy.pool.query(`select id from products where active and stock >= 5 order by id limit 2`);
    const order = { customerId: 1, lines: rows.map((row) => ({ productId: row.id, quantity: 2 })) };
    const { createdAt: _a, ...fromLegacy } = await legacy.repo.placeOrder(order);
    const { createdAt: _b, ...fromKysely } = await kysely.repo.placeOrder(order);
    expect(fromKysely).toEqual(fromLegacy);
    expect(fromLegacy.lines).toHaveLength(2);
    const stockQuery = `select id, stock from products where id = any($1) order by id`;
    const ids = rows.map((row) => row.id);
    expect((await kysely.pool.query(stockQuery, [ids])).rows).toEqual((await legacy.pool.query(stockQuery, [ids])).rows);
  });

  test('placeOrder rejects an order it cannot fill and changes nothing', async () => {
    const { legacy, kysely } = await twoClones();
    const { rows } = await legacy.pool.query(`select (select id from products where active and stock > 0 order by id limit 1) as ok,
                                                     (select id from products where active and stock = 0 order by id limit 1) as empty`);
    const order = {
      customerId: 2,
      lines: [
        { productId: rows[0].ok, quantity: 1 },
        { productId: rows[0].empty, quantity: 1 },
      ],
    };
    for (const side of [legacy, kysely]) {
      const before = (
        await side.pool.query(`select count(*) as orders, (select stock from products where id = $1) as stock from orders`, [rows[0].ok])
      ).rows[0];
      const error = await side.repo.placeOrder(order).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutOfStockError);
      expect((error as OutOfStockError).productId).toBe(rows[0].empty);
      const after = (
        await side.pool.query(`select count(*) as orders, (select stock from products where id = $1) as stock from orders`, [rows[0].ok])
      ).rows[0];
      expect(after).toEqual(before);
    }
  });

  test('updateProductPrice returns the updated row, or nothing for a missing product', async () => {
    const { legacy, kysely } = await twoClones();
    expect(await kysely.repo.updateProductPrice(5, 1234)).toEqual(await legacy.repo.updateProductPrice(5, 1234));
    expect(await legacy.repo.updateProductPrice(5, 1234)).toMatchObject({ id: 5, priceCents: 1234 });
    expect(await kysely.repo.updateProductPrice(999_999, 1)).toBeUndefined();
    expect(await legacy.repo.updateProductPrice(999_999, 1)).toBeUndefined();
  });
});
