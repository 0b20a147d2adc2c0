import assert from 'node:assert/strict';
import type pg from 'pg';
import type { Exercise } from '../kit.ts';

type Module = typeof import('./solution.ts');

async function someActiveProduct(pool: pg.Pool, offset: number) {
  const { rows } = await pool.query(
    `select id, name, price_cents as "priceCents" from products where active order by id offset $1 limit 1`,
    [offset],
  );
  return rows[0] as { id: number; name: string; priceCents: number };
}

export const exercise: Exercise<Module> = {
  number: 9,
  slug: '09-caching',
  title: 'Caching and invalidation',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'get loads an active product once, then serves it from memory without a query',
      hint: 'Look in the Map first and return a fresh entry without touching db; only on a miss run the select and store the result.',
      async run({ createProductCache }, context) {
        const product = await someActiveProduct(context.pool, 10);
        const cache = createProductCache(context.db, { ttlMs: 60_000 });
        assert.deepEqual(await cache.get(product.id), product);
        context.resetQueries();
        assert.deepEqual(await cache.get(product.id), product);
        assert.equal(context.queries(), 0, `the second get sent ${context.queries()} queries`);
      },
    },
    {
      name: 'after updatePrice, get returns the new price',
      hint: 'updatePrice must drop the cached entry (entries.delete(id)) once the UPDATE is done.',
      async run({ createProductCache }, { db, pool }) {
        const product = await someActiveProduct(pool, 11);
        const cache = createProductCache(db, { ttlMs: 60_000 });
        await cache.get(product.id);
        await cache.updatePrice(product.id, product.priceCents + 100);
        assert.equal((await cache.get(product.id))?.priceCents, product.priceCents + 100);
      },
    },
    {
      name: 'an entry is reloaded once ttlMs has passed, so changes made elsewhere show up',
      hint: 'Store expiresAt = now() + ttlMs and compare it with options.now() (not Date.now()) on every get.',
      async run({ createProductCache }, { db, pool }) {
        const product = await someActiveProduct(pool, 12);
        let clock = 1_000;
        const cache = createProductCache(db, { ttlMs: 500, now: () => clock });
        await cache.get(product.id);
        // Another service changes the price behind the cache's back.
        await pool.query(`update products set price_cents = price_cents + 1 where id = $1`, [product.id]);
        clock += 499;
        assert.equal((await cache.get(product.id))?.priceCents, product.priceCents, 'still fresh: served from memory');
        clock += 2;
        assert.equal((await cache.get(product.id))?.priceCents, product.priceCents + 1, 'expired: reloaded');
      },
    },
    {
      name: 'get returns undefined for a missing or inactive product',
      hint: 'Filter on active = true and use .executeTakeFirst(), which resolves to undefined when nothing matches.',
      async run({ createProductCache }, { db, pool }) {
        const { rows } = await pool.query(`select min(id) as id from products where not active`);
        const cache = createProductCache(db, { ttlMs: 60_000 });
        assert.equal(await cache.get(999_999), undefined);
        assert.equal(await cache.get(rows[0].id), undefined);
      },
    },
  ],
};
