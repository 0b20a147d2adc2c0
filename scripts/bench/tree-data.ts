// Category trees of a chosen size, each in its own database, for the trees suite.
// Shape: one root, every other node hangs under a uniformly chosen earlier node,
// at most MAX_DEPTH levels: bushy near the root like a real catalogue.
import { sql } from 'kysely';
import type pg from 'pg';
import { createPool, withDatabaseName } from '../../lib/db/connect.ts';
import { createDatabase as createKysely } from '../../snippets/setup/create-database.ts';
import { migrateToLatest } from '../../snippets/app/migrate.ts';
import { createRandom } from '../../snippets/app/random.ts';

export const MAX_DEPTH = 8;

export interface TreeShape {
  parents: (number | null)[]; // index = id; [0] unused
  subtreeSizes: number[];
  depth: number;
}

export function buildTree(nodes: number, seed = 7): TreeShape {
  const random = createRandom(seed);
  const parents: (number | null)[] = [null, null];
  const depthOf = [0, 0];
  for (let id = 2; id <= nodes; id++) {
    let parent: number;
    do parent = random.int(1, id - 1);
    while (depthOf[parent]! >= MAX_DEPTH - 1);
    parents[id] = parent;
    depthOf[id] = depthOf[parent]! + 1;
  }
  // Parents always have smaller ids, so one backwards pass adds each subtree to its parent.
  const subtreeSizes = new Array<number>(nodes + 1).fill(1);
  subtreeSizes[0] = 0;
  for (let id = nodes; id >= 2; id--) subtreeSizes[parents[id]!]! += subtreeSizes[id]!;
  return { parents, subtreeSizes, depth: Math.max(...depthOf) + 1 };
}

/** The node whose subtree size is nearest (on a log scale) to the target; the root for "all". */
export function pickRoot(shape: TreeShape, target: number | 'all'): number {
  if (target === 'all') return 1;
  let best = 1;
  let bestDistance = Infinity;
  for (let id = 1; id < shape.subtreeSizes.length; id++) {
    const distance = Math.abs(Math.log(shape.subtreeSizes[id]! / target));
    if (distance < bestDistance) [best, bestDistance] = [id, distance];
  }
  return best;
}

export async function createTreeDatabase(admin: pg.Pool, adminUrl: string, name: string, shape: TreeShape) {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const pool = createPool(withDatabaseName(adminUrl, name), 4);
  const db = createKysely(pool);
  await migrateToLatest(db);
  const rows = [];
  for (let id = 1; id < shape.parents.length; id++) {
    rows.push({ id, parent_id: shape.parents[id]!, name: `Category ${id}`, slug: `category-${id}`, position: id % 10 });
  }
  for (let start = 0; start < rows.length; start += 5000) {
    await db
      .insertInto('categories')
      .values(rows.slice(start, start + 5000))
      .execute();
  }
  await sql`analyze categories`.execute(db);
  return {
    pool,
    db,
    drop: async () => {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
    },
  };
}
