import assert from 'node:assert/strict';
import type { Exercise } from '../kit.ts';
import { createLegacyRepository } from '../../app/legacy-repository.ts';

type Module = typeof import('./solution.ts');

export const exercise: Exercise<Module> = {
  number: 5,
  slug: '05-trees',
  title: 'Trees',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'breadcrumbs returns the path from the root down to the deepest category',
      hint: "withRecursive('up(id, parent_id, name, hops)', ...): start at the category, unionAll the parent of each row (join on up.parent_id = c.id), order by hops desc.",
      async run({ breadcrumbs }, { db, pool }) {
        const { rows } = await pool.query(`select max(id) as id from categories`);
        const expected = (await createLegacyRepository(pool).getCategoryPath(rows[0].id)).map(({ id, name }) => ({ id, name }));
        assert.ok(expected.length > 2, 'the seeded tree is several levels deep');
        assert.deepEqual(await breadcrumbs(db, rows[0].id), expected);
      },
    },
    {
      name: 'breadcrumbs returns an empty list for a category that does not exist',
      hint: 'When the starting row is missing, the recursive CTE has no rows: do not add any in JavaScript.',
      async run({ breadcrumbs }, { db }) {
        assert.deepEqual(await breadcrumbs(db, 999_999), []);
      },
    },
    {
      name: 'countDescendants counts every category below a root, and 0 below a leaf',
      hint: 'Start from the children (where parent_id = id), unionAll their children, then select eb.fn.countAll<number>() from the CTE.',
      async run({ countDescendants }, { db, pool }) {
        const legacy = createLegacyRepository(pool);
        const { rows } = await pool.query(`
          select (select min(id) from categories where parent_id is null) as root,
                 (select min(c.id) from categories c where not exists (select 1 from categories k where k.parent_id = c.id)) as leaf`);
        const subtree = await legacy.getCategorySubtree(rows[0].root);
        assert.equal(await countDescendants(db, rows[0].root), subtree.length - 1);
        assert.equal(await countDescendants(db, rows[0].leaf), 0);
      },
    },
    {
      name: 'countDescendants counts in SQL with one query',
      hint: 'Loading the children level by level from JavaScript is the N+1 pattern again; let the recursive CTE do the walk.',
      async run({ countDescendants }, context) {
        const { rows } = await context.pool.query(`select min(id) as root from categories where parent_id is null`);
        context.resetQueries();
        await countDescendants(context.db, rows[0].root);
        assert.equal(context.queries(), 1, `it sent ${context.queries()} queries`);
      },
    },
  ],
};
