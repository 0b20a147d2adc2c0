// `npm run inventory` as a team runs it: on a folder, with --json, with --check against a
// baseline, and with bad input. Each run is a real subprocess on the pinned Node.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';
import { runNode } from '../../support/run-command.ts';

const CLI = join(PROJECT_ROOT, 'scripts/inventory/cli.ts');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'inventory-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function inventory(args: string[], cwd = work) {
  return runNode([CLI, ...args], { cwd });
}

describe('npm run inventory', () => {
  cpSync(join(FIXTURES, 'app'), join(work, 'app'), { recursive: true });
  writeFileSync(
    join(work, 'inventory.json'),
    JSON.stringify({
      paths: ['app'],
      allow: [{ file: 'app/callers.ts', function: 'migrationNote', reason: 'fixture' }],
      baseline: 'baseline.json',
    }),
  );

  it('prints a table with every site and the totals', async () => {
    const { code, stdout } = await inventory(['app']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^location\s+function\s+kind\s+status\s+tables\s+sql/);
    expect(stdout).toMatch(
      /app\/callers\.ts:\d+\s+customerEmails\s+wrapper-call \(executeSql\)\s+raw\s+customers\s+select email from customers order by id/,
    );
    expect(stdout).toMatch(/11 files, \d+ sites: \d+ raw, \d+ kysely, 0 allowed/);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await inventory(['--config', 'inventory.json', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.totals.allowed).toBe(1);
    expect(result.sites.find((site: { function: string }) => site.function === 'getOrder')).toMatchObject({
      file: 'app/orders-dao.ts',
      kind: 'query-call',
      callee: 'pool.query',
      sql: 'select id, customer_id, status from orders where id = $1',
      tables: ['orders'],
      status: 'raw',
    });
  });

  it('passes --check against a fresh baseline, and fails naming the site when a raw query is added', async () => {
    expect((await inventory(['--config', 'inventory.json', '--update-baseline'])).code).toBe(0);
    const clean = await inventory(['--config', 'inventory.json', '--check']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no raw SQL call site beyond the baseline');

    appendFileSync(
      join(work, 'app/callers.ts'),
      "\nexport async function newReport() {\n  return executeSql('select count(*) from orders');\n}\n",
    );
    const dirty = await inventory(['--config', 'inventory.json', '--check']);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain('app/callers.ts | newReport | executeSql: 1 raw site(s), the baseline allows 0');
    expect(dirty.stdout).toMatch(/app\/callers\.ts:\d+ {2}select count\(\*\) from orders/);
  }, 120_000); // four CLI runs in a row

  it('does not count a moved query as new: the baseline keys sites by function, not line', async () => {
    const file = join(work, 'app/orders-dao.ts');
    writeFileSync(file, `// a new first line\n${readFileSync(file, 'utf8')}`);
    const result = await inventory(['--config', 'inventory.json', '--check']);
    expect(result.stdout).not.toContain('orders-dao.ts');
  });

  // Read-only runs, each its own process: side by side.
  it.concurrent.for<[string[], string]>([
    [['missing-folder'], 'inventory: missing-folder does not exist'],
    [['--nope'], "inventory: Unknown option '--nope'"],
    [['inventory.json'], 'inventory: inventory.json is not a .ts or .js source file'],
    [['app', '--check'], 'inventory: --check needs --baseline <file> or a config with "baseline"'],
    [['app', '--check', '--baseline', 'absent.json'], 'inventory: baseline absent.json does not exist (create it with --update-baseline)'],
    [['--config', 'absent.json'], 'inventory: config'],
    [['app', '--progress'], "inventory: --progress writes the Storefront's progress page: run it without paths or --config"],
  ])('exits 2 with one line for bad input %j', async ([args, message], { expect }) => {
    const { code, stderr, stdout } = await inventory(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('exits 2 on a baseline that is not one', async () => {
    writeFileSync(join(work, 'broken.json'), '{"sites": {"x": "many"}}');
    const { code, stderr } = await inventory(['app', '--check', '--baseline', 'broken.json']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'inventory: broken.json is not an inventory baseline: expected { "sites": { "<file> | <function> | <callee>": <count> } }\n',
    );
  });
});
