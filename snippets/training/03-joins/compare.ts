// Module 3: how many active products each top-level category holds directly.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
export async function legacyRootCategoryProductCounts(pool: pg.Pool) {
  const { rows } = await pool.query(
    `select c.id, c.name, count(p.id)::int as products
       from categories c
       left join products p on p.category_id = c.id and p.active
      where c.parent_id is null
      group by c.id, c.name
      order by c.id`,
  );
  return rows as { id: number; name: string; products: number }[];
}
// #endregion legacy

// #region kysely
export async function rootCategoryProductCounts(db: Kysely<Database>) {
  return (
    db
      .selectFrom('categories as c')
      // A condition on the joined table belongs in the join, or the left join turns into an inner one.
      .leftJoin('products as p', (join) => join.onRef('p.category_id', '=', 'c.id').on('p.active', '=', true))
      .select((eb) => ['c.id', 'c.name', eb.fn.count<number>('p.id').as('products')])
      .where('c.parent_id', 'is', null)
      .groupBy(['c.id', 'c.name'])
      .orderBy('c.id')
      .execute()
  );
}
// #endregion kysely
