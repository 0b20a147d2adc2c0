import assert from 'node:assert/strict';
import type { Exercise } from '../kit.ts';

type Module = typeof import('./solution.ts');

export const exercise: Exercise<Module> = {
  number: 1,
  slug: '01-sql-to-kysely',
  title: 'From SQL strings to Kysely',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'findProductBySku returns the id, name and priceCents of the product with that SKU',
      hint: "Start from db.selectFrom('products'), select the three columns (rename with 'price_cents as priceCents'), filter with .where('sku', '=', sku) and finish with .executeTakeFirst().",
      async run({ findProductBySku }, { db, pool }) {
        const { rows } = await pool.query(`select id, name, price_cents as "priceCents", sku from products order by id offset 7 limit 1`);
        const { sku, ...expected } = rows[0];
        assert.deepEqual(await findProductBySku(db, sku), expected);
      },
    },
    {
      name: 'findProductBySku returns undefined for a SKU that does not exist',
      hint: '.executeTakeFirst() resolves to undefined when no row matches; .executeTakeFirstOrThrow() would throw instead.',
      async run({ findProductBySku }, { db }) {
        assert.equal(await findProductBySku(db, 'SKU-NOPE'), undefined);
      },
    },
    {
      name: 'findProductBySku treats the SKU as a value, never as SQL',
      hint: 'Pass the SKU to .where() as a value; never put it inside sql`...` with string concatenation or sql.raw().',
      async run({ findProductBySku }, { db }) {
        assert.equal(await findProductBySku(db, "x' or '1'='1"), undefined);
      },
    },
    {
      name: 'cheapestInCategory returns the cheapest active products of the category, cheapest first',
      hint: "Filter on category_id and active, then .orderBy('price_cents').orderBy('id') and .limit(limit).",
      async run({ cheapestInCategory }, { db, pool }) {
        const { rows: category } = await pool.query(`select category_id from products group by 1 having count(*) > 6 order by 1 limit 1`);
        const categoryId = category[0].category_id;
        const { rows } = await pool.query(
          `select id, name, price_cents as "priceCents" from products where category_id = $1 and active order by price_cents, id limit 4`,
          [categoryId],
        );
        assert.deepEqual(await cheapestInCategory(db, categoryId, 4), rows);
      },
    },
  ],
};
