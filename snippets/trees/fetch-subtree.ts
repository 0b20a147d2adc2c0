// Three ways to fetch a category and all its descendants from an adjacency list
// (`categories.parent_id`). All three return the same nodes in the same order:
// by depth below the starting node, then by id. Which one is fastest depends on
// the size of the tree and of the subtree: see the Trees page and scripts/bench/trees.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../app/database.ts';

export interface TreeNode {
  id: number;
  parentId: number | null;
  name: string;
  /** 0 for the starting node. */
  depth: number;
}

// #region recursive-cte
/** One query: PostgreSQL walks the tree with the parent_id index. */
export async function fetchSubtreeWithCte(db: Kysely<Database>, rootId: number): Promise<TreeNode[]> {
  return db
    .withRecursive('subtree(id, parent_id, name, depth)', (qb) =>
      qb
        .selectFrom('categories')
        .select(['id', 'parent_id', 'name', sql<number>`0`.as('depth')])
        .where('id', '=', rootId)
        .unionAll((qb) =>
          qb
            .selectFrom('categories as child')
            .innerJoin('subtree', 'subtree.id', 'child.parent_id')
            .select(['child.id', 'child.parent_id', 'child.name', sql<number>`subtree.depth + 1`.as('depth')]),
        ),
    )
    .selectFrom('subtree')
    .select(['id', 'parent_id as parentId', 'name', 'depth'])
    .orderBy('depth')
    .orderBy('id')
    .execute();
}
// #endregion recursive-cte

// #region load-and-traverse
export interface CategoryRow {
  id: number;
  parentId: number | null;
  name: string;
}

/** One query for the whole table, whatever part of it you need. */
export async function loadAllCategories(db: Kysely<Database>): Promise<CategoryRow[]> {
  return db.selectFrom('categories').select(['id', 'parent_id as parentId', 'name']).orderBy('id').execute();
}

/** Breadth-first walk over rows already in memory (no database involved). */
export function traverseSubtree(rows: readonly CategoryRow[], rootId: number): TreeNode[] {
  const children = new Map<number, CategoryRow[]>();
  let root: CategoryRow | undefined;
  for (const row of rows) {
    if (row.id === rootId) root = row;
    if (row.parentId === null) continue;
    const siblings = children.get(row.parentId);
    if (siblings) siblings.push(row);
    else children.set(row.parentId, [row]);
  }
  if (!root) return [];
  const result: TreeNode[] = [];
  let level: CategoryRow[] = [root];
  for (let depth = 0; level.length > 0; depth++) {
    // Rows arrive ordered by id, so each level comes out ordered by id once sorted.
    level.sort((a, b) => a.id - b.id);
    const next: CategoryRow[] = [];
    for (const node of level) {
      result.push({ ...node, depth });
      const below = children.get(node.id);
      if (below) next.push(...below);
    }
    level = next;
  }
  return result;
}

export async function fetchSubtreeByLoadingAll(db: Kysely<Database>, rootId: number): Promise<TreeNode[]> {
  return traverseSubtree(await loadAllCategories(db), rootId);
}
// #endregion load-and-traverse

// #region per-level
/** One query per level: the children of every node found on the level above. */
export async function fetchSubtreeLevelByLevel(db: Kysely<Database>, rootId: number): Promise<TreeNode[]> {
  const root = await db
    .selectFrom('categories')
    .select(['id', 'parent_id as parentId', 'name'])
    .where('id', '=', rootId)
    .executeTakeFirst();
  if (!root) return [];
  const result: TreeNode[] = [{ ...root, depth: 0 }];
  let parentIds = [root.id];
  for (let depth = 1; parentIds.length > 0; depth++) {
    const level = await db
      .selectFrom('categories')
      .select(['id', 'parent_id as parentId', 'name'])
      // `= any(array)` sends one parameter however wide the level is; `in (...)`
      // would send one per id and hits PostgreSQL's 65,535-parameter limit.
      .where(sql<boolean>`parent_id = any(${parentIds}::int[])`)
      .orderBy('id')
      .execute();
    for (const node of level) result.push({ ...node, depth });
    parentIds = level.map((node) => node.id);
  }
  return result;
}
// #endregion per-level
