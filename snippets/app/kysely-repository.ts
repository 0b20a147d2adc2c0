// The migrated data layer: every query is built and type-checked by Kysely.
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from './database.ts';
import { escapeLike } from './escape-like.ts';
import { OutOfStockError, type NewOrder, type OrderWithLines, type Product, type StorefrontRepository } from './storefront-repository.ts';
import { classifyDatabaseError } from './database-errors.ts';
import { withRetry, type RetryOptions } from './retry.ts';

const productColumns = ['id', 'category_id as categoryId', 'sku', 'name', 'price_cents as priceCents', 'stock'] as const;

export function createKyselyRepository(db: Kysely<Database>, options: { retry?: RetryOptions } = {}): StorefrontRepository {
  // One query for the orders and all their lines: the lines arrive as a JSON array per order.
  // #region orders-with-lines
  function selectOrdersWithLines(executor: Kysely<Database>) {
    return executor
      .selectFrom('orders')
      .select((eb) => [
        'orders.id',
        'orders.customer_id as customerId',
        'orders.status',
        'orders.created_at as createdAt',
        jsonArrayFrom(
          eb
            .selectFrom('order_items')
            .innerJoin('products', 'products.id', 'order_items.product_id')
            .select([
              'order_items.product_id as productId',
              'products.name as productName',
              'order_items.quantity',
              'order_items.unit_price_cents as unitPriceCents',
            ])
            .whereRef('order_items.order_id', '=', 'orders.id')
            .orderBy('order_items.product_id'),
        ).as('lines'),
      ]);
  }
  // #endregion orders-with-lines

  function withTotal(row: Omit<OrderWithLines, 'totalCents' | 'createdAt'> & { createdAt: Date | string }): OrderWithLines {
    return {
      ...row,
      // JSON has no timestamp type; the top-level column is a real Date, keep it so.
      createdAt: new Date(row.createdAt),
      totalCents: row.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
    };
  }

  const repository: StorefrontRepository = {
    async getProduct(id) {
      return db.selectFrom('products').select(productColumns).where('id', '=', id).where('active', '=', true).executeTakeFirst();
    },

    // #region list-products
    async listProducts(filter, page): Promise<Product[]> {
      return db
        .selectFrom('products')
        .select(productColumns)
        .where('active', '=', true)
        .$if(filter.categoryId !== undefined, (qb) => qb.where('category_id', '=', filter.categoryId!))
        .$if(filter.minPriceCents !== undefined, (qb) => qb.where('price_cents', '>=', filter.minPriceCents!))
        .$if(filter.maxPriceCents !== undefined, (qb) => qb.where('price_cents', '<=', filter.maxPriceCents!))
        .$if(Boolean(filter.nameContains), (qb) => qb.where('name', 'ilike', `%${escapeLike(filter.nameContains!)}%`))
        .$if(Boolean(filter.inStockOnly), (qb) => qb.where('stock', '>', 0))
        .$if(page.afterId !== undefined, (qb) => qb.where('id', '>', page.afterId!))
        .orderBy('id')
        .limit(page.limit)
        .execute();
    },
    // #endregion list-products

    async getCategorySubtree(rootId) {
      const rows = await db
        .withRecursive('subtree(id, parent_id, name, depth, path)', (qb) =>
          qb
            .selectFrom('categories')
            .select(['id', 'parent_id', 'name', sql<number>`0`.as('depth'), sql<number[]>`array[id]`.as('path')])
            .where('id', '=', rootId)
            .unionAll((child) =>
              child
                .selectFrom('categories as c')
                .innerJoin('subtree', 'subtree.id', 'c.parent_id')
                .select([
                  'c.id',
                  'c.parent_id',
                  'c.name',
                  sql<number>`subtree.depth + 1`.as('depth'),
                  sql<number[]>`subtree.path || c.id`.as('path'),
                ])
                // parent_id can form a cycle (a foreign key does not forbid one): never revisit a node on the path.
                .where(sql<boolean>`c.id <> all(subtree.path)`),
            ),
        )
        .selectFrom('subtree')
        .select(['id', 'parent_id as parentId', 'name', 'depth'])
        .orderBy('depth')
        .orderBy('id')
        .execute();
      return rows;
    },

    async getCategoryPath(id) {
      const rows = await db
        .withRecursive('ancestors(id, parent_id, name, hops)', (qb) =>
          qb
            .selectFrom('categories')
            .select(['id', 'parent_id', 'name', sql<number>`0`.as('hops')])
            .where('id', '=', id)
            .unionAll((parent) =>
              parent
                .selectFrom('categories as c')
                .innerJoin('ancestors', 'ancestors.parent_id', 'c.id')
                .select(['c.id', 'c.parent_id', 'c.name', sql<number>`ancestors.hops + 1`.as('hops')]),
            ),
        )
        .selectFrom('ancestors')
        .select(['id', 'parent_id as parentId', 'name', 'hops'])
        .orderBy('hops', 'desc')
        .execute();
      return rows.map(({ hops, ...node }) => ({ ...node, depth: rows.length - 1 - hops }));
    },

    // #region list-customer-orders
    async listCustomerOrders(customerId) {
      const rows = await selectOrdersWithLines(db)
        .where('orders.customer_id', '=', customerId)
        .orderBy('orders.created_at', 'desc')
        .orderBy('orders.id', 'desc')
        .execute();
      return rows.map(withTotal);
    },
    // #endregion list-customer-orders

    async topSellingProducts(limit) {
      return db
        .selectFrom('order_items')
        .innerJoin('orders', 'orders.id', 'order_items.order_id')
        .innerJoin('products', 'products.id', 'order_items.product_id')
        .select((eb) => [
          'products.id as productId',
          'products.name',
          eb.fn.sum<number>('order_items.quantity').$castTo<number>().as('unitsSold'),
          sql<number>`sum(order_items.quantity * order_items.unit_price_cents)::int`.as('revenueCents'),
        ])
        .where('orders.status', '<>', 'cancelled')
        .groupBy(['products.id', 'products.name'])
        .orderBy('unitsSold', 'desc')
        .orderBy('products.id')
        .limit(limit)
        .execute();
    },

    // #region place-order-retry
    async placeOrder(order: NewOrder) {
      // Two orders taking the same products in opposite order can deadlock; PostgreSQL then
      // rolls one back (40P01). The whole transaction runs again, a bounded number of times.
      const orderId = await withRetry(
        () =>
          db.transaction().execute(async (trx) => {
            const created = await trx
              .insertInto('orders')
              .values({ customer_id: order.customerId })
              .returning('id')
              .executeTakeFirstOrThrow();
            for (const line of order.lines) {
              const taken = await trx
                .updateTable('products')
                .set((eb) => ({ stock: eb('stock', '-', line.quantity) }))
                .where('id', '=', line.productId)
                .where('active', '=', true)
                .where('stock', '>=', line.quantity)
                .returning('price_cents')
                .executeTakeFirst();
              if (!taken) throw new OutOfStockError(line.productId);
              await trx
                .insertInto('order_items')
                .values({ order_id: created.id, product_id: line.productId, quantity: line.quantity, unit_price_cents: taken.price_cents })
                .execute();
            }
            return created.id;
          }),
        options.retry,
      );
      const row = await selectOrdersWithLines(db).where('orders.id', '=', orderId).executeTakeFirstOrThrow();
      return withTotal(row);
    },
    // #endregion place-order-retry

    async updateProductPrice(id, priceCents) {
      return db.updateTable('products').set({ price_cents: priceCents }).where('id', '=', id).returning(productColumns).executeTakeFirst();
    },
  };

  // #region classify-errors
  // Every method reports a known SQLSTATE as a DatabaseOutcomeError (conflict, not-found,
  // retry, timeout, lock-unavailable), so callers decide on the outcome, not on codes.
  type Method = (...args: unknown[]) => Promise<unknown>;
  const classified = {} as Record<keyof StorefrontRepository, Method>;
  for (const [name, method] of Object.entries(repository) as [keyof StorefrontRepository, Method][]) {
    classified[name] = (...args) =>
      method(...args).catch((error: unknown) => {
        throw classifyDatabaseError(error);
      });
  }
  return classified as StorefrontRepository;
  // #endregion classify-errors
}
