// CamelCasePlugin against hand-aliasing: the same rows, and the places the plugin does
// (and does not) rename what you wrote.
import { describe, expect } from 'vitest';
import { test } from '../../harness/database.ts';
import { createPool } from '../../../lib/db/connect.ts';
import {
  brokenDoubledPriceCamel,
  cheapestProducts,
  cheapestProductsCamel,
  createCamelCaseKysely,
  doubledPriceCamel,
  settingsPayloadCamel,
} from '../../../snippets/conversions/camel-case-plugin.ts';
import { recordSql } from './support.ts';

describe('CamelCasePlugin or hand-aliasing', () => {
  test('both return the same camelCase rows from the same snake_case SQL', async ({ database }) => {
    const pool = createPool(database.url, 2);
    const camel = createCamelCaseKysely(pool);
    try {
      const aliased = await recordSql(database.pool, 'camel-case-plugin.hand-aliased', () => cheapestProducts(database.db, 5));
      expect(aliased).toHaveLength(5);
      expect(Object.keys(aliased[0]!)).toEqual(['id', 'categoryId', 'priceCents']);
      const plugged = await recordSql(pool, 'camel-case-plugin.plugin', () => cheapestProductsCamel(camel, 5));
      expect(plugged).toEqual(aliased);
    } finally {
      await camel.destroy();
    }
  });

  test('sql.ref is renamed, text inside a sql template is not, and JSON keys are renamed too', async ({ database }) => {
    const pool = createPool(database.url, 2);
    const camel = createCamelCaseKysely(pool);
    try {
      const { rows } = await database.pool.query(`select id, price_cents from products order by id limit 1`);
      expect(await doubledPriceCamel(camel, rows[0].id)).toEqual({ doubledCents: rows[0].price_cents * 2 });
      await expect(brokenDoubledPriceCamel(camel, rows[0].id)).rejects.toThrow('column "pricecents" does not exist');
      expect(await settingsPayloadCamel(camel)).toEqual({ maxItems: 5 });
    } finally {
      await camel.destroy();
    }
  });
});
