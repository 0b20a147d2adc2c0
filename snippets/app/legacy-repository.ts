// The data layer as it was before the migration: SQL strings on a pg Pool.
// It works, and it keeps the habits the guide warns about, on purpose:
//   - listCustomerOrders loads each order's lines in its own query (N+1);
//   - getCategorySubtree's recursive CTE tracks paths and deduplicates at length; the path is
//     what stops it going round a cycle in parent_id (a foreign key does not prevent one);
//   - listProducts builds its WHERE clause by string concatenation, counting $n by hand.
import type pg from 'pg';
import {
  OutOfStockError,
  type CategoryNode,
  type NewOrder,
  type OrderLine,
  type OrderWithLines,
  type PageRequest,
  type Product,
  type ProductFilter,
  type ProductSales,
  type StorefrontRepository,
} from './storefront-repository.ts';
import { escapeLike } from './escape-like.ts';

const PRODUCT_COLUMNS = `id, category_id as "categoryId", sku, name, price_cents as "priceCents", stock`;

export function createLegacyRepository(pool: pg.Pool): StorefrontRepository {
  // #region load-lines
  async function loadLines(orderId: number): Promise<OrderLine[]> {
    const { rows } = await pool.query(
      `select oi.product_id as "productId", p.name as "productName", oi.quantity, oi.unit_price_cents as "unitPriceCents"
         from order_items oi join products p on p.id = oi.product_id
        where oi.order_id = $1
        order by oi.product_id`,
      [orderId],
    );
    return rows;
  }
  // #endregion load-lines

  async function loadOrder(row: { id: number; customerId: number; status: string; createdAt: Date }): Promise<OrderWithLines> {
    const lines = await loadLines(row.id);
    return { ...row, totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0), lines };
  }

  return {
    async getProduct(id) {
      const { rows } = await pool.query(`select ${PRODUCT_COLUMNS} from products where id = $1 and active`, [id]);
      return rows[0];
    },

    // #region string-built-filter
    async listProducts(filter: ProductFilter, page: PageRequest): Promise<Product[]> {
      let where = 'where active';
      const params: unknown[] = [];
      if (filter.categoryId !== undefined) {
        params.push(filter.categoryId);
        where += ' and category_id = $' + params.length;
      }
      if (filter.minPriceCents !== undefined) {
        params.push(filter.minPriceCents);
        where += ' and price_cents >= $' + params.length;
      }
      if (filter.maxPriceCents !== undefined) {
        params.push(filter.maxPriceCents);
        where += ' and price_cents <= $' + params.length;
      }
      if (filter.nameContains) {
        params.push('%' + escapeLike(filter.nameContains) + '%');
        where += ' and name ilike $' + params.length;
      }
      if (filter.inStockOnly) where += ' and stock > 0';
      if (page.afterId !== undefined) {
        params.push(page.afterId);
        where += ' and id > $' + params.length;
      }
      params.push(page.limit);
      const { rows } = await pool.query(`select ${PRODUCT_COLUMNS} from products ${where} order by id limit $${params.length}`, params);
      return rows;
    },
    // #endregion string-built-filter

    async getCategorySubtree(rootId) {
      const { rows } = await pool.query(
        `with recursive tree(id, parent_id, name, depth, path, is_cycle) as (
           select c.id, c.parent_id, c.name, 0, array[c.id], false
             from categories c where c.id = $1
           union all
           select c.id, c.parent_id, c.name, t.depth + 1, t.path || c.id, c.id = any(t.path)
             from categories c join tree t on c.parent_id = t.id
            where not t.is_cycle
         )
         select id, parent_id as "parentId", name, depth
           from (select distinct on (id) * from tree where not is_cycle order by id, array_length(path, 1)) deduped
          order by depth, id`,
        [rootId],
      );
      return rows as CategoryNode[];
    },

    async getCategoryPath(id) {
      const { rows } = await pool.query(
        `with recursive up(id, parent_id, name, hops) as (
           select id, parent_id, name, 0 from categories where id = $1
           union all
           select c.id, c.parent_id, c.name, up.hops + 1 from categories c join up on c.id = up.parent_id
         )
         select id, parent_id as "parentId", name, (max(hops) over () - hops)::int as depth
           from up order by hops desc`,
        [id],
      );
      return rows as CategoryNode[];
    },

    // #region n-plus-one
    async listCustomerOrders(customerId) {
      const { rows } = await pool.query(
        `select id, customer_id as "customerId", status, created_at as "createdAt"
           from orders where customer_id = $1 order by created_at desc, id desc`,
        [customerId],
      );
      const orders: OrderWithLines[] = [];
      // One query per order: the N+1 pattern.
      for (const row of rows) orders.push(await loadOrder(row));
      return orders;
    },
    // #endregion n-plus-one

    async topSellingProducts(limit) {
      const { rows } = await pool.query(
        `select p.id as "productId", p.name, sum(oi.quantity)::int as "unitsSold",
                sum(oi.quantity * oi.unit_price_cents)::int as "revenueCents"
           from order_items oi
           join orders o on o.id = oi.order_id
           join products p on p.id = oi.product_id
          where o.status <> 'cancelled'
          group by p.id, p.name
          order by "unitsSold" desc, p.id
          limit $1`,
        [limit],
      );
      return rows as ProductSales[];
    },

    async placeOrder(order: NewOrder) {
      const client = await pool.connect();
      let created: { id: number; customerId: number; status: string; createdAt: Date };
      try {
        await client.query('begin');
        const inserted = await client.query(
          `insert into orders (customer_id) values ($1) returning id, customer_id as "customerId", status, created_at as "createdAt"`,
          [order.customerId],
        );
        created = inserted.rows[0];
        for (const line of order.lines) {
          const taken = await client.query(
            `update products set stock = stock - $1 where id = $2 and active and stock >= $1 returning price_cents`,
            [line.quantity, line.productId],
          );
          if (taken.rowCount === 0) throw new OutOfStockError(line.productId);
          await client.query(`insert into order_items (order_id, product_id, quantity, unit_price_cents) values ($1, $2, $3, $4)`, [
            created.id,
            line.productId,
            line.quantity,
            taken.rows[0].price_cents,
          ]);
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
      return loadOrder(created);
    },

    async updateProductPrice(id, priceCents) {
      const { rows } = await pool.query(`update products set price_cents = $1 where id = $2 returning ${PRODUCT_COLUMNS}`, [
        priceCents,
        id,
      ]);
      return rows[0];
    },
  };
}
