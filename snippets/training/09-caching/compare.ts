// Module 9: caching category names. A cache nobody invalidates, and one that is.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region legacy
const names = new Map<number, string>(); // module-level: shared by every caller, kept forever

export async function legacyCategoryName(pool: pg.Pool, id: number): Promise<string | undefined> {
  if (!names.has(id)) {
    const { rows } = await pool.query(`select name from categories where id = $1`, [id]);
    if (rows[0]) names.set(id, rows[0].name);
  }
  return names.get(id);
}

export async function legacyRenameCategory(pool: pg.Pool, id: number, name: string): Promise<void> {
  await pool.query(`update categories set name = $1 where id = $2`, [name, id]);
  // ...and the cached name is now wrong until the process restarts.
}
// #endregion legacy

// #region kysely
export function createCategoryNames(db: Kysely<Database>, ttlMs: number, now: () => number = Date.now) {
  const cached = new Map<number, { name: string | undefined; expiresAt: number }>();
  return {
    async get(id: number): Promise<string | undefined> {
      const hit = cached.get(id);
      if (hit && hit.expiresAt > now()) return hit.name;
      const row = await db.selectFrom('categories').select('name').where('id', '=', id).executeTakeFirst();
      cached.set(id, { name: row?.name, expiresAt: now() + ttlMs });
      return row?.name;
    },
    async rename(id: number, name: string): Promise<void> {
      await db.updateTable('categories').set({ name }).where('id', '=', id).execute();
      cached.delete(id); // the writer invalidates; the TTL bounds staleness from other writers
    },
  };
}
// #endregion kysely
