import { describe, expect, it } from 'vitest';
import { emptyDatabase } from '../harness/database.ts';
import { createPool } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { seedStorefront } from '../../snippets/app/seed.ts';
import { checksumData } from './catalog-dump.ts';

async function seededChecksum(seed: number, scale: number) {
  const target = await emptyDatabase();
  const pool = createPool(target.url, 2);
  const db = createKysely(pool);
  try {
    await migrateToLatest(db);
    const counts = await seedStorefront(db, { seed, scale });
    return { counts, checksum: await checksumData(pool) };
  } finally {
    await db.destroy();
    await target.drop();
  }
}

describe('seeder', () => {
  it('produces identical data for the same seed and scale', async () => {
    const first = await seededChecksum(7, 0.2);
    const second = await seededChecksum(7, 0.2);
    expect(first.counts.orderItems).toBeGreaterThan(first.counts.orders);
    expect(second.checksum).toEqual(first.checksum);
  });

  it('produces different data for a different seed', async () => {
    const a = await seededChecksum(7, 0.2);
    const b = await seededChecksum(8, 0.2);
    expect(b.counts.products).toBe(a.counts.products);
    expect(b.checksum.products).not.toEqual(a.checksum.products);
  });

  it('builds a category tree several levels deep', async () => {
    const target = await emptyDatabase();
    const pool = createPool(target.url, 1);
    const db = createKysely(pool);
    try {
      await migrateToLatest(db);
      await seedStorefront(db, { seed: 42, scale: 1 });
      const { rows } = await pool.query(`
        with recursive t(id, depth) as (select id, 0 from categories where parent_id is null
          union all select c.id, t.depth + 1 from categories c join t on c.parent_id = t.id)
        select max(depth)::int as depth, count(*)::int as nodes from t`);
      expect(rows[0].nodes).toBeGreaterThan(500);
      expect(rows[0].depth).toBeGreaterThanOrEqual(4);
    } finally {
      await db.destroy();
      await target.drop();
    }
  });
});
