// Exercise 3: joins and relations. Run `npm run exercise -- 3` to check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface ProductWithCategory {
  productId: number;
  productName: string;
  categoryName: string;
}

// Legacy:
//   select p.id as "productId", p.name as "productName", c.name as "categoryName"
//     from products p join categories c on c.id = p.category_id
//    where p.category_id = $1 and p.active order by p.id
export async function productsWithCategory(db: Kysely<Database>, categoryId: number): Promise<ProductWithCategory[]> {
  // TODO: inner join products to categories; select the three columns with these names.
  throw new Error('TODO: implement productsWithCategory');
}

// Legacy:
//   select c.id, c.email from customers c left join orders o on o.customer_id = c.id
//    where o.id is null order by c.id
export async function customersWithoutOrders(db: Kysely<Database>): Promise<{ id: number; email: string }[]> {
  // TODO: a left join that keeps customers with no matching order (hint: where orders.id is null).
  throw new Error('TODO: implement customersWithoutOrders');
}

// Legacy:
//   select status, count(*) as orders from orders group by status order by status
export async function orderCountsByStatus(db: Kysely<Database>): Promise<{ status: string; orders: number }[]> {
  // TODO: group the orders by status and count them (hint: eb.fn.countAll<number>()).
  throw new Error('TODO: implement orderCountsByStatus');
}
