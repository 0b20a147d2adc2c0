// Exercise 5: trees. `categories` is an adjacency list: each row points at its parent.
// Run `npm run exercise -- 5` to check.
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

// Legacy:
//   with recursive up(id, parent_id, name, hops) as (
//     select id, parent_id, name, 0 from categories where id = $1
//     union all
//     select c.id, c.parent_id, c.name, up.hops + 1 from categories c join up on c.id = up.parent_id)
//   select id, name from up order by hops desc
export async function breadcrumbs(db: Kysely<Database>, categoryId: number): Promise<{ id: number; name: string }[]> {
  // TODO: walk from the category up to its root with db.withRecursive(...); return the
  //       path root first. Return [] for a category that does not exist.
  throw new Error('TODO: implement breadcrumbs');
}

export async function countDescendants(db: Kysely<Database>, categoryId: number): Promise<number> {
  // TODO: count every category below this one (children, grandchildren, ...), not itself.
  //       Walk down with a recursive CTE and count in SQL, not in JavaScript.
  throw new Error('TODO: implement countDescendants');
}
