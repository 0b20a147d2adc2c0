// Module 5: every category id under a root. Level by level from JavaScript, or one recursive query.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

type Queryable = Pick<pg.Pool, 'query'>;

// #region legacy
export async function legacySubtreeIds(pool: Queryable, rootId: number): Promise<number[]> {
  const ids = [rootId];
  let level = [rootId];
  while (level.length > 0) {
    // One query per level of the tree.
    const { rows } = await pool.query(`select id from categories where parent_id = any($1) order by id`, [level]);
    level = rows.map((row: { id: number }) => row.id);
    ids.push(...level);
  }
  return ids.sort((a, b) => a - b);
}
// #endregion legacy

// #region kysely
export async function subtreeIds(db: Kysely<Database>, rootId: number): Promise<number[]> {
  const rows = await db
    .withRecursive('subtree(id)', (qb) =>
      qb
        .selectFrom('categories')
        .select('id')
        .where('id', '=', rootId)
        .unionAll((child) => child.selectFrom('categories as c').innerJoin('subtree', 'subtree.id', 'c.parent_id').select('c.id')),
    )
    .selectFrom('subtree')
    .select('id')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
// #endregion kysely
