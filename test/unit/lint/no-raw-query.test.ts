// The guardrail as `npm run lint` runs it: the project's own eslint.config.js, on fixtures that
// must and must not be flagged, placed (by file path) inside and outside its scope.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const mustFlag = readFileSync(join(FIXTURES, 'must-flag.ts'), 'utf8');
const mustNotFlag = readFileSync(join(FIXTURES, 'must-not-flag.ts'), 'utf8');
// The fixtures are linted as text under paths that do not exist, which the type-aware rules
// cannot resolve; the guardrail needs no type information, so those rules are left out here.
const eslint = new ESLint({ cwd: PROJECT_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

async function lint(text: string, filePath: string) {
  const [result] = await eslint.lintText(text, { filePath });
  return result!.messages;
}

const markedLines = (text: string) =>
  text
    .split('\n')
    .map((line, index) => (line.endsWith('// flagged') ? index + 1 : 0))
    .filter(Boolean);

describe('migration/no-raw-query in npm run lint', () => {
  it.each(['snippets/app/report-store.ts', 'snippets/service/reports.ts', 'scripts/serve.ts', 'scripts/service/reports.ts'])(
    'flags every raw call in %s, and nothing else',
    async (path) => {
      const messages = await lint(mustFlag, path);
      expect(messages.map((message) => message.line)).toEqual(markedLines(mustFlag));
      expect(messages.every((message) => message.ruleId === 'migration/no-raw-query' && message.severity === 2)).toBe(true);
    },
  );

  it('says what was called and links to the conversion page', async () => {
    const [first] = await lint(mustFlag, 'snippets/app/report-store.ts');
    expect(first!.message).toContain('Raw SQL (pool.query) outside the legacy layer');
    expect(first!.message).toContain('https://handbook.storefront.example/guide/converting-queries/');
  });

  it('leaves Kysely queries, its sql template and look-alikes alone', async () => {
    expect(await lint(mustNotFlag, 'snippets/app/catalogue.ts')).toEqual([]);
  });

  it('does not apply to the legacy layer, where raw SQL lives until it is deleted', async () => {
    expect(await lint(mustFlag, 'snippets/app/legacy-repository.ts')).toEqual([]);
  });

  it('does not apply to snippets that show raw SQL on purpose', async () => {
    expect(await lint(mustFlag, 'snippets/conversions/list-orders.ts')).toEqual([]);
  });

  it('allows an allow-listed function, and only that function of its file', async () => {
    const allowed = `import pg from 'pg';\nexport async function prepareServiceDatabase(admin: pg.Client) {\n  return admin.query('select 1');\n}\n`;
    expect(await lint(allowed, 'scripts/service/prepare-database.ts')).toEqual([]);
    const other = allowed.replace('prepareServiceDatabase', 'somethingElse');
    expect((await lint(other, 'scripts/service/prepare-database.ts')).map((message) => message.line)).toEqual([3]);
  });

  it('passes on the current tree', async () => {
    const results = await eslint.lintFiles(['snippets/app', 'snippets/service', 'scripts/serve.ts', 'scripts/service']);
    // Only the guardrail's verdict here; every other rule is `npm run lint`'s to report.
    const guardrail = results.flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === 'migration/no-raw-query' || message.fatal)
        .map((message) => `${result.filePath}:${message.line} ${message.message}`),
    );
    expect(guardrail).toEqual([]);
  });
});
