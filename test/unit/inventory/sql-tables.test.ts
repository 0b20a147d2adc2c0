// Tables from SQL, read by PostgreSQL's parser (libpg-query): what the inventory's "tables"
// column and the per-table progress rows rely on.
import { beforeAll, describe, expect, it } from 'vitest';
import { DYNAMIC_PART } from '../../../scripts/inventory/find-sites.ts';
import { loadSqlParser, tablesOf, tablesOfSkeleton } from '../../../scripts/inventory/sql-tables.ts';

beforeAll(() => loadSqlParser());

describe('tablesOf', () => {
  it.each([
    ['select * from orders o join order_items i on i.order_id = o.id where o.id = $1', ['order_items', 'orders']],
    ['insert into orders (customer_id) values ($1) returning id', ['orders']],
    ['update products set stock = stock - $1 where id = $2', ['products']],
    ['delete from order_items where order_id in (select id from orders where status = $1)', ['order_items', 'orders']],
    [
      'with recursive tree(id) as (select id from categories where id = $1 union all select c.id from categories c join tree t on c.parent_id = t.id) select * from tree',
      ['categories'],
    ],
    ['select count(*) from public.products', ['public.products']],
    ['truncate table customers, orders', ['customers', 'orders']],
    ['select * from generate_series(1, 3)', []],
    ['begin', []],
  ])('%s touches %j', (sql, tables) => {
    const result = tablesOf(sql);
    expect(result.tables).toEqual(tables);
    expect(result.source).toBe('parsed');
  });

  it('falls back to the scanner, and says so, for a fragment the parser rejects', () => {
    const result = tablesOf('from products where active and');
    expect(result.source).toBe('scanned');
    expect(result.tables).toEqual(['products']);
    expect(result.parseError).toMatch(/syntax error/);
  });
});

describe('tablesOfSkeleton (SQL built at run time)', () => {
  const skeleton = (parts: string[]) => parts.join(DYNAMIC_PART);

  it('reads a table in a schema chosen at run time', () => {
    expect(tablesOfSkeleton(skeleton(['select * from ', '.jobs where id = $1']), DYNAMIC_PART).tables).toEqual(['jobs']);
  });

  it('reads the table before a string-built where clause', () => {
    expect(tablesOfSkeleton(skeleton(['select id from products ', ' order by id limit $', '']), DYNAMIC_PART).tables).toEqual(['products']);
  });

  it('does not take an alias in FOR UPDATE OF, or the argument of extract(… from …), for a table', () => {
    const sql = skeleton(['select j.id, extract(epoch from created_on) from ', '.job j where j.state = $1 for update of j skip locked']);
    expect(tablesOfSkeleton(sql, DYNAMIC_PART).tables).toEqual(['job']);
  });

  it('does not take a set-returning function for a table', () => {
    expect(tablesOfSkeleton(skeleton(['select * from ', '.add_job($1, $2)']), DYNAMIC_PART).tables).toEqual([]);
  });

  it('knows nothing when only the run-time part names the table', () => {
    expect(tablesOfSkeleton(skeleton(['select * from ', ' where id = $1']), DYNAMIC_PART)).toEqual({ tables: [], source: 'none' });
  });
});
