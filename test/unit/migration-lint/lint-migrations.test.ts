// The migration linter (scripts/db/lint-migrations.ts): each unsafe-DDL rule the handbook
// relies on fires on a fixture that breaks it and stays quiet on its safe counterpart.
// No database: the SQL comes from the recording driver.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintMigrations, lintSql } from '../../../scripts/db/lint-migrations.ts';
import { recordMigrationSql } from '../../../snippets/schema-changes/record-migration-sql.ts';
import { migrations } from '../../../snippets/app/migrations/index.ts';
import { evidencePath } from '../../support/evidence.ts';
import { runNode } from '../../support/run-command.ts';
import * as lockTimeoutFixture from './fixtures/require-lock-timeout.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

const RULES = [
  ['require-concurrent-index-creation', 'a non-concurrent index on an existing table'],
  ['adding-field-with-default', 'a volatile default'],
  ['adding-not-nullable-field', 'NOT NULL without a validated check constraint first'],
  ['changing-column-type', 'a type change that rewrites the table'],
  ['renaming-column', 'a rename of a live column'],
] as const;

async function lintFixture(file: string) {
  const module = await import(join(fixtures, file));
  const [result] = await lintMigrations({ [file]: module });
  return result!;
}

describe('the migration linter', () => {
  for (const [rule, what] of RULES) {
    it(`${rule} fires on ${what} and stays quiet on the safe version`, async () => {
      const unsafe = await lintFixture(`${rule}.unsafe.ts`);
      expect(unsafe.findings.map((f) => f.rule)).toEqual([rule]);
      const safe = await lintFixture(`${rule}.safe.ts`);
      expect(safe.findings, safe.sql).toEqual([]);
    });
  }

  it('require-lock-timeout fires on what Kysely’s stock Migrator sends and stays quiet on what the runner sends', async () => {
    const stock = await recordMigrationSql(lockTimeoutFixture, 'up', null);
    const runner = await recordMigrationSql(lockTimeoutFixture, 'up');
    expect(runner).toMatch(/^begin;\nset local lock_timeout = '2000ms';\nalter table "orders" add column "note" text;\ncommit;\n$/);
    const [withoutTimeout, withTimeout] = lintSql([
      { name: 'stock', sql: stock },
      { name: 'runner', sql: runner },
    ]);
    expect(withoutTimeout!.findings.map((f) => f.rule)).toEqual(['require-lock-timeout']);
    expect(withTimeout!.findings).toEqual([]);
  });

  it('finds nothing unsafe in the Storefront migrations, and records the SQL 0004 sends', async () => {
    const results = await lintMigrations(migrations);
    expect(results.map((r) => r.name)).toEqual(Object.keys(migrations));
    for (const result of results) expect(result.findings, `${result.name}:\n${result.sql}`).toEqual([]);
    const index = results.find((r) => r.name === '0004-index-orders-by-customer')!;
    await expect(index.sql).toMatchFileSnapshot(evidencePath('schema-changes', 'lint.0004-index-orders-by-customer.sql'));
  });

  it('npm run lint:migrations exits 1 naming the rule for an unsafe file, 0 for a safe one, 2 for a file that is not a migration', async () => {
    const run = (...args: string[]) => runNode(['scripts/db/lint-migrations.ts', ...args]);
    const unsafe = await run(join(fixtures, 'renaming-column.unsafe.ts'));
    expect(unsafe.code).toBe(1);
    expect(unsafe.stdout).toMatch(/✗ renaming-column\.unsafe\n\s+line 3: renaming-column: /);
    const safe = await run(join(fixtures, 'renaming-column.safe.ts'));
    expect(safe.code).toBe(0);
    expect(safe.stdout).toContain('✓ renaming-column.safe');
    const notMigration = await run('package.json');
    expect(notMigration.code).toBe(2);
    expect(notMigration.stderr.trim().split('\n')).toHaveLength(1);
    expect(notMigration.stderr).toMatch(/^lint:migrations: /);
  });
});
