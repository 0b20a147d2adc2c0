// Exercise 3, solved: an inner join, an anti-join with a left join, and a grouped count.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface ProductWithCategory {
  productId: number;
  productName: string;
  categoryName: string;
}

// #region products-with-category
export async function productsWithCategory(db: Kysely<Database>, categoryId: number): Promise<ProductWithCategory[]> {
  return db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .select(['products.id as productId', 'products.name as productName', 'categories.name as categoryName'])
    .where('products.category_id', '=', categoryId)
    .where('products.active', '=', true)
    .orderBy('products.id')
    .execute();
}
// #endregion products-with-category

// #region customers-without-orders
export async function customersWithoutOrders(db: Kysely<Database>): Promise<{ id: number; email: string }[]> {
  return db
    .selectFrom('customers')
    .leftJoin('orders', 'orders.customer_id', 'customers.id')
    .select(['customers.id', 'customers.email'])
    .where('orders.id', 'is', null)
    .orderBy('customers.id')
    .execute();
}
// #endregion customers-without-orders

// #region order-counts
export async function orderCountsByStatus(db: Kysely<Database>): Promise<{ status: string; orders: number }[]> {
  return db
    .selectFrom('orders')
    .select((eb) => ['status', eb.fn.countAll<number>().as('orders')])
    .groupBy('status')
    .orderBy('status')
    .execute();
}
// #endregion order-counts
