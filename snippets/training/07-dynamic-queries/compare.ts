// Module 7: customer search with optional filters and a caller-chosen sort.
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../app/database.ts';

export interface CustomerSearch {
  nameContains?: string;
  emailDomain?: string;
  sort?: 'name' | 'newest';
}

// #region legacy
export async function legacySearchCustomers(pool: pg.Pool, search: CustomerSearch) {
  let query = 'select id, name, email from customers where true';
  const params: unknown[] = [];
  if (search.nameContains) {
    params.push('%' + search.nameContains + '%');
    query += ' and name ilike $' + params.length;
  }
  if (search.emailDomain) {
    params.push('%@' + search.emailDomain);
    query += ' and email like $' + params.length;
  }
  // Safe only because the value is mapped, never pasted; one edit away from injection.
  query += search.sort === 'newest' ? ' order by created_at desc, id desc' : ' order by name, id';
  const { rows } = await pool.query(query + ' limit 20', params);
  return rows as { id: number; name: string; email: string }[];
}
// #endregion legacy

// #region kysely
export async function searchCustomers(db: Kysely<Database>, search: CustomerSearch) {
  let query = db.selectFrom('customers').select(['id', 'name', 'email']);
  if (search.nameContains) query = query.where('name', 'ilike', `%${search.nameContains}%`);
  if (search.emailDomain) query = query.where('email', 'like', `%@${search.emailDomain}`);
  query = search.sort === 'newest' ? query.orderBy('created_at', 'desc').orderBy('id', 'desc') : query.orderBy('name').orderBy('id');
  return query.limit(20).execute();
}
// #endregion kysely
