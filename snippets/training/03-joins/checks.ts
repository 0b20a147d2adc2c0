import assert from 'node:assert/strict';
import type { Exercise } from '../kit.ts';

type Module = typeof import('./solution.ts');

export const exercise: Exercise<Module> = {
  number: 3,
  slug: '03-joins',
  title: 'Joins and relations',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: "productsWithCategory returns a category's active products with the category's name, by product id",
      hint: "innerJoin('categories', 'categories.id', 'products.category_id'), then qualify every column: 'products.name as productName'.",
      async run({ productsWithCategory }, { db, pool }) {
        const { rows } = await pool.query(
          `select p.id as "productId", p.name as "productName", c.name as "categoryName"
             from products p join categories c on c.id = p.category_id
            where p.category_id = 5 and p.active order by p.id`,
        );
        assert.ok(rows.length > 0);
        assert.deepEqual(await productsWithCategory(db, 5), rows);
      },
    },
    {
      name: 'customersWithoutOrders returns exactly the customers who never ordered',
      hint: "leftJoin('orders', 'orders.customer_id', 'customers.id') keeps every customer; .where('orders.id', 'is', null) keeps those with no match.",
      async run({ customersWithoutOrders }, { db, pool }) {
        await pool.query(
          `insert into customers (email, name) values ('never-ordered-' || md5(random()::text) || '@example.test', 'No Orders')`,
        );
        const { rows } = await pool.query(
          `select c.id, c.email from customers c where not exists (select 1 from orders o where o.customer_id = c.id) order by c.id`,
        );
        assert.deepEqual(await customersWithoutOrders(db), rows);
      },
    },
    {
      name: 'orderCountsByStatus counts the orders of each status, as numbers, ordered by status',
      hint: "select((eb) => ['status', eb.fn.countAll<number>().as('orders')]).groupBy('status').orderBy('status')",
      async run({ orderCountsByStatus }, { db, pool }) {
        const { rows } = await pool.query(`select status, count(*) as orders from orders group by status order by status`);
        assert.deepEqual(await orderCountsByStatus(db), rows);
      },
    },
  ],
};
