// Two ways to get camelCase keys from snake_case columns: alias each column by hand, as the
// Storefront does, or let Kysely's CamelCasePlugin rename everything on the way in and out.
// The plugin needs a Database type written in camelCase (kysely-codegen --camel-case makes
// one); this file declares the one table it uses.
import type pg from 'pg';
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import type { Database } from '../app/database.ts';

export interface CheapProduct {
  id: number;
  categoryId: number;
  priceCents: number;
}

// #region hand-aliased
export function cheapestProducts(db: Kysely<Database>, limit: number): Promise<CheapProduct[]> {
  return db
    .selectFrom('products')
    .select(['id', 'category_id as categoryId', 'price_cents as priceCents'])
    .where('active', '=', true)
    .orderBy('price_cents')
    .orderBy('id')
    .limit(limit)
    .execute();
}
// #endregion hand-aliased

// #region camel-case-plugin
export interface CamelCaseDatabase {
  products: {
    id: Generated<number>;
    categoryId: number;
    sku: string;
    name: string;
    priceCents: number;
    stock: Generated<number>;
    active: Generated<boolean>;
    createdAt: Generated<Date>;
  };
}

export function createCamelCaseKysely(pool: pg.Pool): Kysely<CamelCaseDatabase> {
  return new Kysely<CamelCaseDatabase>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

export function cheapestProductsCamel(db: Kysely<CamelCaseDatabase>, limit: number): Promise<CheapProduct[]> {
  // "categoryId" becomes "category_id" in the SQL and back again in the result.
  return db
    .selectFrom('products')
    .select(['id', 'categoryId', 'priceCents'])
    .where('active', '=', true)
    .orderBy('priceCents')
    .orderBy('id')
    .limit(limit)
    .execute();
}
// #endregion camel-case-plugin

// #region plugin-pitfalls
export async function doubledPriceCamel(db: Kysely<CamelCaseDatabase>, id: number) {
  // sql.ref goes through the plugin: "price_cents". Text inside the template does not:
  // sql`priceCents * 2` would reach PostgreSQL as a column named pricecents.
  return db
    .selectFrom('products')
    .select(sql<number>`${sql.ref('priceCents')} * 2`.as('doubledCents'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function brokenDoubledPriceCamel(db: Kysely<CamelCaseDatabase>, id: number) {
  return db
    .selectFrom('products')
    .select(sql<number>`priceCents * 2`.as('doubledCents'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function settingsPayloadCamel(db: Kysely<CamelCaseDatabase>) {
  // Result keys are renamed at every depth, including inside JSON values: a stored
  // {"max_items": 5} arrives as {maxItems: 5}. Pass `{ maintainNestedObjectKeys: true }`
  // to the plugin when JSON data must keep its own keys.
  const { rows } = await sql<{ payload: Record<string, number> }>`select json_build_object('max_items', 5) as payload`.execute(db);
  return rows[0]!.payload;
}
// #endregion plugin-pitfalls
