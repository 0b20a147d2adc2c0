import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { createRandom, type Random } from './random.ts';

export interface SeedOptions {
  /** Same seed and scale, same rows: tests and benchmarks rely on it. */
  seed?: number;
  /** 1 is the test size; benchmarks use larger scales. */
  scale?: number;
}

export interface SeedCounts {
  categories: number;
  products: number;
  customers: number;
  orders: number;
  orderItems: number;
}

const MAX_CATEGORY_DEPTH = 6;
const BASE_TIME = Date.UTC(2026, 0, 1);
const BATCH_SIZE = 1000;

const ADJECTIVES = ['Compact', 'Classic', 'Rugged', 'Silent', 'Smart', 'Vintage', 'Wireless', 'Organic', 'Folding', 'Heavy-duty'];
const NOUNS = ['Kettle', 'Lamp', 'Backpack', 'Chair', 'Headset', 'Notebook', 'Drill', 'Jacket', 'Teapot', 'Router', 'Blender', 'Tent'];
const AREAS = ['Home', 'Garden', 'Outdoor', 'Office', 'Kitchen', 'Audio', 'Tools', 'Travel', 'Sport', 'Kids', 'Lighting', 'Storage'];
const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman'];
const STATUSES = ['pending', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'cancelled'] as const;

export function seedSizes(scale: number) {
  return {
    categories: Math.max(20, Math.round(600 * scale)),
    products: Math.max(50, Math.round(3000 * scale)),
    customers: Math.max(10, Math.round(300 * scale)),
    orders: Math.max(20, Math.round(1500 * scale)),
  };
}

/** Fills an empty, migrated Storefront database. Ids are explicit so they are stable too. */
export async function seedStorefront(db: Kysely<Database>, options: SeedOptions = {}): Promise<SeedCounts> {
  const random = createRandom(options.seed ?? 42);
  const sizes = seedSizes(options.scale ?? 1);

  const categories = buildCategories(random, sizes.categories);
  const products = buildProducts(random, sizes.products, sizes.categories);
  const customers = Array.from({ length: sizes.customers }, (_, index) => {
    const id = index + 1;
    const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
    return { id, email: `customer${id}@example.test`, name, created_at: at(id * 3_600_000) };
  });
  const { orders, items } = buildOrders(random, sizes.orders, sizes.customers, products);

  await db.transaction().execute(async (trx) => {
    await insertInBatches(categories, (rows) => trx.insertInto('categories').values(rows).execute());
    await insertInBatches(products, (rows) => trx.insertInto('products').values(rows).execute());
    await insertInBatches(customers, (rows) => trx.insertInto('customers').values(rows).execute());
    await insertInBatches(orders, (rows) => trx.insertInto('orders').values(rows).execute());
    await insertInBatches(items, (rows) => trx.insertInto('order_items').values(rows).execute());
    // Explicit ids leave the serial sequences at 1; move them past the data.
    for (const table of ['categories', 'products', 'customers', 'orders'] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(trx);
    }
  });
  await sql`analyze`.execute(db);

  return {
    categories: categories.length,
    products: products.length,
    customers: customers.length,
    orders: orders.length,
    orderItems: items.length,
  };
}

function at(offsetMs: number): Date {
  return new Date(BASE_TIME + offsetMs);
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await insert(rows.slice(start, start + BATCH_SIZE));
  }
}

function buildCategories(random: Random, count: number) {
  const roots = Math.min(8, count);
  const depth: number[] = [];
  const rows = [];
  for (let id = 1; id <= count; id++) {
    let parentId: number | null = null;
    if (id > roots) {
      // A uniformly chosen earlier node: a random recursive tree, a few levels deep.
      do {
        parentId = random.int(1, id - 1);
      } while ((depth[parentId] ?? 0) >= MAX_CATEGORY_DEPTH - 1);
    }
    depth[id] = parentId === null ? 0 : (depth[parentId] ?? 0) + 1;
    const name = `${random.pick(AREAS)} ${random.pick(NOUNS)}s`;
    rows.push({
      id,
      parent_id: parentId,
      name,
      slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}`,
      position: random.int(0, 9),
    });
  }
  return rows;
}

function buildProducts(random: Random, count: number, categoryCount: number) {
  return Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    return {
      id,
      category_id: random.int(1, categoryCount),
      sku: `SKU-${String(id).padStart(6, '0')}`,
      name: `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${random.int(100, 999)}`,
      price_cents: random.int(199, 49_999),
      stock: random.chance(0.1) ? 0 : random.int(1, 200),
      active: !random.chance(0.05),
      created_at: at(id * 60_000),
    };
  });
}

function buildOrders(random: Random, count: number, customerCount: number, products: { id: number; price_cents: number }[]) {
  const orders = [];
  const items = [];
  for (let id = 1; id <= count; id++) {
    orders.push({
      id,
      customer_id: random.int(1, customerCount),
      status: random.pick(STATUSES),
      created_at: at(id * 1_800_000 + random.int(0, 1_799_999)),
    });
    const chosen = new Set<number>();
    const lines = random.int(1, 5);
    while (chosen.size < lines) chosen.add(random.int(0, products.length - 1));
    for (const index of chosen) {
      const product = products[index]!;
      items.push({ order_id: id, product_id: product.id, quantity: random.int(1, 3), unit_price_cents: product.price_cents });
    }
  }
  return { orders, items };
}
