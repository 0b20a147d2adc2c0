// Keyset pagination: "the next 20 after this row" instead of OFFSET, so page 500 costs
// what page 1 costs and a row inserted meanwhile neither repeats nor vanishes.
// Products by price, cheapest first; the id breaks ties so the order is total.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export interface PricedProduct {
  id: number;
  name: string;
  priceCents: number;
}

/** The last row of the previous page. */
export interface PriceCursor {
  priceCents: number;
  id: number;
}

// #region page-legacy
export async function productsByPriceLegacy(pool: pg.Pool, limit: number, after?: PriceCursor): Promise<PricedProduct[]> {
  const { rows } = after
    ? await pool.query(
        `select id, name, price_cents as "priceCents" from products
          where active and (price_cents, id) > ($1, $2)
          order by price_cents, id limit $3`,
        [after.priceCents, after.id, limit],
      )
    : await pool.query(
        `select id, name, price_cents as "priceCents" from products
          where active order by price_cents, id limit $1`,
        [limit],
      );
  return rows;
}
// #endregion page-legacy

// #region page-kysely
export async function productsByPrice(db: Kysely<Database>, limit: number, after?: PriceCursor): Promise<PricedProduct[]> {
  return (
    db
      .selectFrom('products')
      .select(['id', 'name', 'price_cents as priceCents'])
      .where('active', '=', true)
      // A row-value comparison: (price, id) strictly after the cursor, in the sort order.
      .$if(after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('price_cents', 'id'), '>', eb.tuple(after!.priceCents, after!.id))))
      .orderBy('price_cents')
      .orderBy('id')
      .limit(limit)
      .execute()
  );
}
// #endregion page-kysely

// #region walk-pages
export async function* allProductsByPrice(db: Kysely<Database>, pageSize: number): AsyncGenerator<PricedProduct[]> {
  let after: PriceCursor | undefined;
  for (;;) {
    const page = await productsByPrice(db, pageSize, after);
    if (page.length === 0) return;
    yield page;
    const last = page.at(-1)!;
    after = { priceCents: last.priceCents, id: last.id };
  }
}
// #endregion walk-pages
