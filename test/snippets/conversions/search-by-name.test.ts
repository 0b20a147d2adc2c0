// ILIKE with user input: binding the text as a parameter is not enough, `%` and `_` must be escaped.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { escapeLike } from '../../../snippets/app/escape-like.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { createLegacyRepository } from '../../../snippets/app/legacy-repository.ts';
import {
  productNamesContaining,
  productNamesContainingLegacy,
  productNamesContainingUnescaped,
} from '../../../snippets/conversions/search-by-name.ts';
import { recordSql } from './support.ts';

// "Zq" appears in no seeded product name, so these rows are the only ones a search can find.
const NAMES = ['Zq lamp 50% off', 'Zq lamp 5000 lumen', 'Zq kettle A_B', 'Zq kettle AxB', 'Zq path C:\\lamps', 'Zq path C:lamps'];

describe('searching by part of a name', () => {
  test('escapeLike escapes %, _ and the escape character itself, and nothing else', () => {
    expect(escapeLike('50%')).toBe('50\\%');
    expect(escapeLike('a_b')).toBe('a\\_b');
    expect(escapeLike('C:\\x')).toBe('C:\\\\x');
    expect(escapeLike("o'brien [x]")).toBe("o'brien [x]");
  });

  test('unescaped, "50%" and "A_B" match names they do not contain; escaped, only the names that contain them', async ({ database }) => {
    const { rows } = await database.pool.query(`select min(id) as category from categories`);
    await database.pool.query(
      `insert into products (category_id, sku, name, price_cents) select $1, 'ESC-' || n, name, 100 from unnest($2::text[]) with ordinality as t(name, n)`,
      [rows[0].category, NAMES],
    );
    try {
      expect(await productNamesContainingLegacy(database.pool, 'zq lamp 50%')).toEqual(['Zq lamp 50% off', 'Zq lamp 5000 lumen']);
      expect(await productNamesContainingUnescaped(database.db, 'zq lamp 50%')).toEqual(['Zq lamp 50% off', 'Zq lamp 5000 lumen']);
      expect(await recordSql(database.pool, 'search-by-name.escaped', () => productNamesContaining(database.db, 'zq lamp 50%'))).toEqual([
        'Zq lamp 50% off',
      ]);

      expect(await productNamesContainingUnescaped(database.db, 'Zq kettle A_B')).toEqual(['Zq kettle A_B', 'Zq kettle AxB']);
      expect(await productNamesContaining(database.db, 'Zq kettle A_B')).toEqual(['Zq kettle A_B']);
      expect(await productNamesContaining(database.db, 'Zq path C:\\')).toEqual(['Zq path C:\\lamps']);
      expect(await productNamesContaining(database.db, 'ZQ LAMP 5')).toEqual(['Zq lamp 50% off', 'Zq lamp 5000 lumen']);

      // Both repositories escape nameContains, and still agree with each other.
      for (const nameContains of ['zq lamp 50%', 'Zq kettle A_B', 'Zq path C:\\', '%', '_']) {
        const legacy = await createLegacyRepository(database.pool).listProducts({ nameContains }, { limit: 50 });
        expect(await createKyselyRepository(database.db).listProducts({ nameContains }, { limit: 50 })).toEqual(legacy);
        expect(legacy.every((p) => p.name.toLowerCase().includes(nameContains.toLowerCase()))).toBe(true);
      }
      expect(
        (await createKyselyRepository(database.db).listProducts({ nameContains: 'zq lamp 50%' }, { limit: 50 })).map((p) => p.name),
      ).toEqual(['Zq lamp 50% off']);
    } finally {
      await database.pool.query(`delete from products where sku like 'ESC-%'`);
    }
  });
});
