import type pg from 'pg';

/**
 * A text dump of everything the migrations define in `public`: columns, constraints,
 * indexes and sequences, each rendered by PostgreSQL itself. Two schemas are the
 * same when their dumps are equal.
 */
export async function dumpPublicSchema(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(`
    select format('column %s.%s %s %s default %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                  case when a.attnotnull then 'not null' else 'null' end, coalesce(pg_get_expr(d.adbin, d.adrelid), '-')) as line
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
    union all
    select format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public'
    union all
    select format('index %s', pg_get_indexdef(i.indexrelid))
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public'
    union all
    select format('sequence %s', c.relname)
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'S'
    order by 1`);
  return rows.map((row) => row.line);
}

/** md5 of every row of each Storefront table, in primary-key order. */
export async function checksumData(pool: pg.Pool): Promise<Record<string, string>> {
  const tables = ['categories', 'products', 'customers', 'orders', 'order_items'];
  const sums: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await pool.query(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from ${table} t`,
    );
    sums[table] = `${rows[0].n}:${rows[0].sum}`;
  }
  return sums;
}
