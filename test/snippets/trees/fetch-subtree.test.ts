import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { countQueries } from '../../../snippets/app/query-counter.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import {
  fetchSubtreeByLoadingAll,
  fetchSubtreeLevelByLevel,
  fetchSubtreeWithCte,
  loadAllCategories,
  traverseSubtree,
} from '../../../snippets/trees/fetch-subtree.ts';

describe('fetching a subtree three ways', () => {
  test('the CTE, load-and-traverse and per-level return the same nodes as the repository, for a root, an inner node and a leaf', async ({
    database,
  }) => {
    const { rows } = await database.pool.query(`
      select (select min(id) from categories where parent_id is null) as root,
             (select min(p.id) from categories p where p.parent_id is not null and exists (select from categories c where c.parent_id = p.id)) as inner_node,
             (select min(p.id) from categories p where not exists (select from categories c where c.parent_id = p.id)) as leaf`);
    const repo = createKyselyRepository(database.db);
    for (const id of [rows[0].root, rows[0].inner_node, rows[0].leaf] as number[]) {
      const cte = await fetchSubtreeWithCte(database.db, id);
      expect(cte[0]).toMatchObject({ id, depth: 0 });
      expect(cte).toEqual(await repo.getCategorySubtree(id));
      expect(await fetchSubtreeByLoadingAll(database.db, id)).toEqual(cte);
      expect(await fetchSubtreeLevelByLevel(database.db, id)).toEqual(cte);
    }
    const rootSubtree = await fetchSubtreeWithCte(database.db, rows[0].root);
    expect(rootSubtree.length).toBeGreaterThan(1);
    expect(new Set(rootSubtree.map((n) => n.id)).size).toBe(rootSubtree.length);
  });

  test('a missing category gives an empty subtree every way', async ({ database }) => {
    expect(await fetchSubtreeWithCte(database.db, 999_999)).toEqual([]);
    expect(await fetchSubtreeByLoadingAll(database.db, 999_999)).toEqual([]);
    expect(await fetchSubtreeLevelByLevel(database.db, 999_999)).toEqual([]);
  });

  test('the CTE and load-and-traverse send one query; per-level sends one per level plus the one that finds no children', async ({
    database,
  }) => {
    const counter = countQueries(database.pool);
    try {
      const { rows } = await database.pool.query(`select min(id) as id from categories where parent_id is null`);
      const rootId = rows[0].id as number;
      const cte = await counter.measure(() => fetchSubtreeWithCte(database.db, rootId));
      const all = await counter.measure(() => fetchSubtreeByLoadingAll(database.db, rootId));
      const perLevel = await counter.measure(() => fetchSubtreeLevelByLevel(database.db, rootId));
      const levels = Math.max(...cte.result.map((n) => n.depth)) + 1;
      expect(cte.count).toBe(1);
      expect(all.count).toBe(1);
      expect(perLevel.count).toBe(levels + 1);
    } finally {
      counter.detach();
    }
  });

  test('traversal in memory needs no database once the table is loaded', async ({ database }) => {
    const rows = await loadAllCategories(database.db);
    const counter = countQueries(database.pool);
    try {
      const subtree = traverseSubtree(rows, 1);
      expect(counter.count).toBe(0);
      expect(subtree).toEqual(await fetchSubtreeWithCte(database.db, 1));
    } finally {
      counter.detach();
    }
  });
});
