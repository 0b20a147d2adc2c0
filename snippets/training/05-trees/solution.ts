// Exercise 5, solved: one recursive CTE walks up, another walks down.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// #region breadcrumbs
export async function breadcrumbs(db: Kysely<Database>, categoryId: number): Promise<{ id: number; name: string }[]> {
  return db
    .withRecursive('up(id, parent_id, name, hops)', (qb) =>
      qb
        .selectFrom('categories')
        .select(['id', 'parent_id', 'name', sql<number>`0`.as('hops')])
        .where('id', '=', categoryId)
        .unionAll((parent) =>
          parent
            .selectFrom('categories as c')
            .innerJoin('up', 'up.parent_id', 'c.id')
            .select(['c.id', 'c.parent_id', 'c.name', sql<number>`up.hops + 1`.as('hops')]),
        ),
    )
    .selectFrom('up')
    .select(['id', 'name'])
    .orderBy('hops', 'desc')
    .execute();
}
// #endregion breadcrumbs

// #region count-descendants
export async function countDescendants(db: Kysely<Database>, categoryId: number): Promise<number> {
  const row = await db
    .withRecursive('down(id)', (qb) =>
      qb
        .selectFrom('categories')
        .select('id')
        .where('parent_id', '=', categoryId)
        .unionAll((child) => child.selectFrom('categories as c').innerJoin('down', 'down.id', 'c.parent_id').select('c.id')),
    )
    .selectFrom('down')
    .select((eb) => eb.fn.countAll<number>().as('descendants'))
    .executeTakeFirstOrThrow();
  return row.descendants;
}
// #endregion count-descendants
