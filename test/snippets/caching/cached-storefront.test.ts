// The cached storefront over the real Kysely repository on a cloned database.
// `counted` records which repository calls reached the database.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import { createCachedStorefront } from '../../../snippets/caching/cached-storefront.ts';

function counted(repo: StorefrontRepository) {
  const calls: string[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(repo).map(([name, method]) => [
      name,
      (...args: unknown[]) => (calls.push(name), (method as (...args: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as unknown as StorefrontRepository;
  return { repo: wrapped, calls, count: (name: string) => calls.filter((c) => c === name).length };
}

async function anActiveProductInStock(database: { pool: import('pg').Pool }) {
  const { rows } = await database.pool.query(`select id, category_id from products where active and stock > 5 order by id limit 1`);
  return { id: rows[0].id as number, categoryId: rows[0].category_id as number };
}

describe('the cached storefront', () => {
  test('repeated reads are served from the cache and equal what the database returned', async ({ database }) => {
    const source = counted(createKyselyRepository(database.db));
    const cached = createCachedStorefront(source.repo, { ttlMs: 60_000 });
    const product = await anActiveProductInStock(database);
    const first = await cached.getProduct(product.id);
    const list = await cached.listProducts({ categoryId: product.categoryId }, { limit: 10 });
    const subtree = await cached.getCategorySubtree(1);
    const path = await cached.getCategoryPath(product.categoryId);
    const top = await cached.topSellingProducts(5);
    const orders = await cached.listCustomerOrders(1);
    expect(source.calls).toHaveLength(6);
    expect(await cached.getProduct(product.id)).toEqual(first);
    expect(await cached.listProducts({ categoryId: product.categoryId }, { limit: 10 })).toEqual(list);
    expect(await cached.getCategorySubtree(1)).toEqual(subtree);
    expect(await cached.getCategoryPath(product.categoryId)).toEqual(path);
    expect(await cached.topSellingProducts(5)).toEqual(top);
    expect(await cached.listCustomerOrders(1)).toEqual(orders);
    expect(source.calls).toHaveLength(6);
    // A different filter or page is a different question.
    await cached.listProducts({ categoryId: product.categoryId }, { limit: 11 });
    expect(source.count('listProducts')).toBe(2);
  });

  test('entries expire after the time to live', async ({ database }) => {
    let time = 0;
    const source = counted(createKyselyRepository(database.db));
    const cached = createCachedStorefront(source.repo, { ttlMs: 500, now: () => time });
    await cached.getCategorySubtree(1);
    time = 499;
    await cached.getCategorySubtree(1);
    expect(source.count('getCategorySubtree')).toBe(1);
    time = 500;
    await cached.getCategorySubtree(1);
    expect(source.count('getCategorySubtree')).toBe(2);
  });

  test('updateProductPrice makes the product and product lists fresh, and leaves categories and best sellers cached', async ({
    database,
  }) => {
    const source = counted(createKyselyRepository(database.db));
    const cached = createCachedStorefront(source.repo, { ttlMs: 60_000 });
    const product = await anActiveProductInStock(database);
    const filter = { categoryId: product.categoryId };
    await cached.getProduct(product.id);
    await cached.listProducts(filter, { limit: 50 });
    await cached.getCategorySubtree(1);
    await cached.topSellingProducts(5);

    await cached.updateProductPrice(product.id, 12_345);

    expect((await cached.getProduct(product.id))?.priceCents).toBe(12_345);
    expect((await cached.listProducts(filter, { limit: 50 })).find((p) => p.id === product.id)?.priceCents).toBe(12_345);
    await cached.getCategorySubtree(1);
    await cached.topSellingProducts(5);
    expect(source.count('getProduct')).toBe(2);
    expect(source.count('listProducts')).toBe(2);
    expect(source.count('getCategorySubtree')).toBe(1);
    expect(source.count('topSellingProducts')).toBe(1);
  });

  test("placeOrder makes stock, the customer's orders and best sellers fresh, and leaves other products cached", async ({ database }) => {
    const source = counted(createKyselyRepository(database.db));
    const cached = createCachedStorefront(source.repo, { ttlMs: 60_000 });
    const product = await anActiveProductInStock(database);
    const { rows } = await database.pool.query(`select id from products where active and id <> $1 order by id limit 1`, [product.id]);
    const other = rows[0].id as number;
    const customerId = 2;
    const before = await cached.getProduct(product.id);
    await cached.getProduct(other);
    const ordersBefore = await cached.listCustomerOrders(customerId);
    await cached.listProducts({ inStockOnly: true }, { limit: 20 });
    await cached.topSellingProducts(3);
    await cached.getCategoryPath(product.categoryId);

    await cached.placeOrder({ customerId, lines: [{ productId: product.id, quantity: 2 }] });

    expect((await cached.getProduct(product.id))?.stock).toBe(before!.stock - 2);
    expect(await cached.listCustomerOrders(customerId)).toHaveLength(ordersBefore.length + 1);
    await cached.listProducts({ inStockOnly: true }, { limit: 20 });
    await cached.topSellingProducts(3);
    await cached.getProduct(other);
    await cached.getCategoryPath(product.categoryId);
    expect(source.count('getProduct')).toBe(3);
    expect(source.count('listCustomerOrders')).toBe(2);
    expect(source.count('listProducts')).toBe(2);
    expect(source.count('topSellingProducts')).toBe(2);
    expect(source.count('getCategoryPath')).toBe(1);
  });

  test('twenty concurrent requests for a cold product send one query', async ({ database }) => {
    const source = counted(createKyselyRepository(database.db));
    const cached = createCachedStorefront(source.repo, { ttlMs: 60_000 });
    const product = await anActiveProductInStock(database);
    const results = await Promise.all(Array.from({ length: 20 }, () => cached.getProduct(product.id)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(source.count('getProduct')).toBe(1);
  });

  test('a failed database read is not cached', async ({ database }) => {
    const real = createKyselyRepository(database.db);
    let failNext = true;
    const flaky: StorefrontRepository = {
      ...real,
      getCategorySubtree: async (id) => {
        if (failNext) {
          failNext = false;
          // A real failing query, not a simulated one.
          await database.pool.query('select 1/0');
        }
        return real.getCategorySubtree(id);
      },
    };
    const cached = createCachedStorefront(flaky, { ttlMs: 60_000 });
    await expect(cached.getCategorySubtree(1)).rejects.toThrow(/division by zero/);
    expect((await cached.getCategorySubtree(1))[0]?.id).toBe(1);
  });
});
