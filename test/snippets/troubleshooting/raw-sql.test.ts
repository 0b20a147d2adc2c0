import { describe, expect, test } from '../../harness/database.ts';
import { compiledSql, evidencePath } from '../../support/evidence.ts';
import { searchProducts, searchProductsUnsafe, sortedProducts } from '../../../snippets/troubleshooting/raw-sql.ts';

// Closes the quote, makes the condition always true, and reopens a quote so the SQL still parses.
const HOSTILE = `zzz%' or true or name like '`;

describe('sql.raw against a parameter, with a hostile search term', () => {
  test('the parameterised search treats the input as text and finds nothing', async ({ database }) => {
    const query = searchProducts(database.db, HOSTILE);
    await expect(compiledSql(query)).toMatchFileSnapshot(evidencePath('troubleshooting', 'search.safe.sql'));
    expect(query.compile().sql).not.toContain(HOSTILE);
    expect(await query.execute()).toEqual([]);
  });

  test('the sql.raw search runs the input as SQL and returns every product, inactive ones too', async ({ database }) => {
    const query = searchProductsUnsafe(database.db, HOSTILE);
    await expect(compiledSql(query)).toMatchFileSnapshot(evidencePath('troubleshooting', 'search.unsafe.sql'));
    const { rows } = await database.pool.query(
      `select count(*)::int as all, count(*) filter (where not active)::int as inactive from products`,
    );
    expect(rows[0].inactive).toBeGreaterThan(0);
    const found = await query.execute();
    // `and active = $1` binds tighter than the injected `or true`, so even the active filter is gone.
    expect(found).toHaveLength(rows[0].all);
  });

  test('an ordinary apostrophe breaks the sql.raw search and works with a parameter', async ({ database }) => {
    await expect(searchProductsUnsafe(database.db, "o'brien").execute()).rejects.toThrow(/syntax error/);
    expect(await searchProducts(database.db, "o'brien").execute()).toEqual([]);
  });

  test('both return the same rows for a harmless term', async ({ database }) => {
    const safe = await searchProducts(database.db, 'lamp').execute();
    expect(safe.length).toBeGreaterThan(0);
    expect(await searchProductsUnsafe(database.db, 'lamp').execute()).toEqual(safe);
  });
});

describe('a sort column chosen by the user', () => {
  test('an allowed column is quoted as an identifier, anything else is refused before SQL is built', async ({ database }) => {
    const query = sortedProducts(database.db, 'price_cents');
    await expect(compiledSql(query)).toMatchFileSnapshot(evidencePath('troubleshooting', 'sort.sql'));
    const rows = await query.execute();
    expect(rows).toHaveLength(5);
    expect(() => sortedProducts(database.db, 'price_cents; drop table products')).toThrow(RangeError);
  });
});
