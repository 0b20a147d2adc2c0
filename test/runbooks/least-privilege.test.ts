// Least privilege → verdict: run as on-call would, with the role the pages recommend
// (pg_monitor + pg_signal_backend) and with a role that lacks pg_monitor, on a real
// server. A runbook that cannot see never says healthy; a write the server skipped is never "done".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { test, describe, expect, admin, emptyDatabase } from '../harness/database.ts';
import { deadTuples, idleInTransaction } from '../../runbooks/drills/faults.ts';
import { Session } from '../../runbooks/kit/session.ts';
import { Progress } from '../../runbooks/kit/output.ts';
import { vacuumTable } from '../../runbooks/steps/vacuum-bloat.ts';
import { readDataLayerFlag } from '../../snippets/app/data-layer-switch.ts';
import { QUICK_HEALTH_CHECK, runbook } from './run-runbook.ts';
import { DOCUMENTED_ROLE, createRole } from './roles.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a role without pg_monitor', () => {
  test('never gets "healthy" from a runbook that reads other sessions: it is told what it cannot see and which grant is missing (exit 4)', async ({
    database,
  }) => {
    const role = await createRole(admin(), database.url, []);
    const fault = await idleInTransaction(database.url, 2);
    try {
      await sleep(1200);
      for (const [name, args] of [
        ['connection-saturation', ['--older-than', '1s']],
        ['lock-contention', ['--tx-older-than', '1s']],
        ['vacuum-bloat', []],
        ['slow-queries', []],
      ] as const) {
        const result = await runbook(name, [...args], { url: role.url });
        expect(result.code, `${name}: ${result.output}`).toBe(4);
        expect(result.output, name).toContain(`GRANT pg_monitor TO ${role.name};`);
        expect(result.output, name).not.toContain('HEALTHY');
        // slow-queries stops at its first step (reading shared_preload_libraries needs pg_read_all_settings, part of pg_monitor).
        if (name !== 'slow-queries') {
          expect(result.stdout).toContain(`cannot see other roles' sessions`);
          expect(result.stdout).toContain('Verdict: COULD NOT SEE');
        }
      }
      // The same sessions, seen with the documented role, are the problem (exit 1).
      const documented = await createRole(admin(), database.url, DOCUMENTED_ROLE);
      try {
        const seen = await runbook('connection-saturation', ['--older-than', '1s'], { url: documented.url });
        expect(seen.code, seen.output).toBe(1);
        for (const pid of fault.pids) expect(seen.stdout).toContain(`PID ${pid} idle in transaction`);
      } finally {
        await documented.drop();
      }
    } finally {
      await fault.clear();
      await role.drop();
    }
  });

  test('still gets exit 1 when what it can see is already wrong, with the blind spot named', async ({ database }) => {
    const role = await createRole(admin(), database.url, []);
    const fault = await deadTuples(database.url, 'products');
    try {
      const result = await runbook('vacuum-bloat', [], { url: role.url });
      expect(result.code, result.output).toBe(1);
      expect(result.stdout).toMatch(/✗ public\.products: \d+ dead/);
      expect(result.stdout).toContain(`? cannot see other roles' sessions`);
    } finally {
      await fault.clear();
      await role.drop();
    }
  });
});

describe('vacuum-bloat with the documented role', () => {
  test('--execute names who may vacuum, runs nothing, exits 1 and audits the refusal', async ({ database }) => {
    const role = await createRole(admin(), database.url, DOCUMENTED_ROLE);
    const fault = await deadTuples(database.url, 'products');
    const auditLog = join(tmpdir(), `handbook-audit-vacuum-role-${database.name}.jsonl`);
    try {
      const vacuumed = async () =>
        (await database.pool.query(`select n_dead_tup::int as dead, last_vacuum::text from pg_stat_user_tables where relname = 'products'`))
          .rows[0];
      const before = await vacuumed();
      const result = await runbook('vacuum-bloat', ['--execute', '--yes', '--table', 'products', '--audit-log', auditLog], {
        url: role.url,
      });
      expect(result.code, result.output).toBe(1);
      expect(result.output).toContain(`role "${role.name}" may not vacuum public.products: only its owner`);
      expect(result.output).not.toContain('✓ vacuum');
      const entries = readFileSync(auditLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(entries.at(-1)).toMatchObject({ step: 'vacuum-analyze', outcome: expect.stringMatching(/^refused before running/) });
      expect(before.dead).toBeGreaterThan(0);
      expect(await vacuumed()).toEqual(before);
    } finally {
      await fault.clear();
      await role.drop();
    }
  });

  test('a VACUUM the server skips with only a warning is recorded as not done by the kit', async ({ database }) => {
    const role = await createRole(admin(), database.url, DOCUMENTED_ROLE);
    const session = new Session(
      role.url,
      'kit-test',
      [vacuumTable],
      { statementTimeoutMs: 10_000, lockTimeoutMs: 2000, idleInTransactionTimeoutMs: 10_000 },
      new Progress(false),
    );
    const outcomes: string[] = [];
    session.onWrite = (_step, _sql, _params, outcome) => outcomes.push(outcome);
    await session.connect();
    try {
      expect(await session.writeOutsideTransaction(vacuumTable, 'public.products')).toBe(false);
      expect(session.notDone).toHaveLength(1);
      expect(outcomes[0]).toMatch(/^skipped by the server: .*"products"/);
    } finally {
      await session.close();
      await role.drop();
    }
  });

  test('names the session whose snapshot holds dead tuples back, and a VACUUM that could not remove them is not done', async ({
    database,
  }) => {
    const holder = new pg.Client({ connectionString: database.url, application_name: 'report-export' });
    await holder.connect();
    const auditLog = join(tmpdir(), `handbook-audit-vacuum-xmin-${database.name}.jsonl`);
    let fault: Awaited<ReturnType<typeof deadTuples>> | undefined;
    try {
      await holder.query('begin isolation level repeatable read');
      await holder.query('select count(*) from customers');
      const holderPid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
      fault = await deadTuples(database.url, 'products');
      await sleep(1100);
      const found = await runbook('vacuum-bloat', ['--snapshot-older-than', '1s'], { url: database.url });
      expect(found.code, found.output).toBe(1);
      expect(found.stdout).toContain(`PID ${holderPid} holds cleanup back`);
      expect(found.stdout).toMatch(new RegExp(`✗ PID ${holderPid} \\(.*report-export, idle in transaction\\)`));

      const tried = await runbook(
        'vacuum-bloat',
        ['--snapshot-older-than', '1s', '--execute', '--yes', '--table', 'products', '--audit-log', auditLog],
        { url: database.url },
      );
      expect(tried.code, tried.output).toBe(1);
      expect(tried.stdout).toContain('✗ vacuum (analyze) public.products did not clean the table');
      expect(tried.stdout).toMatch(/not done: step "VACUUM \(ANALYZE\) the table" not done: VACUUM finished but \d+ dead tuples remain/);
      const entries = readFileSync(auditLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(entries.at(-1).outcome).toMatch(new RegExp(`^not done: .*PID ${holderPid}`));
    } finally {
      await holder.end().catch(() => {});
      await fault?.clear();
    }
  });
});

describe('health-check', () => {
  test('reports every check on its own with the documented role: what it cannot read is named, the rest still runs', async ({
    database,
  }) => {
    const role = await createRole(admin(), database.url, DOCUMENTED_ROLE);
    try {
      const result = await runbook('health-check', ['--json', ...QUICK_HEALTH_CHECK], { url: role.url });
      expect(result.code, result.output).toBe(4);
      const report = JSON.parse(result.stdout);
      const status = Object.fromEntries(report.data.checks.map((check: { slug: string; status: string }) => [check.slug, check.status]));
      expect(status).toEqual({
        'lock-contention': 'healthy',
        'connection-saturation': 'healthy',
        'slow-queries': 'healthy',
        'cache-hit-rate': 'healthy',
        'error-spike': 'healthy',
        'vacuum-bloat': 'healthy',
        rollback: 'unseen',
      });
      expect(report.data.checks.at(-1).summary).toContain('no SELECT privilege');
      expect(report.next).toContain(`GRANT SELECT ON`);
    } finally {
      await role.drop();
    }
  });

  test('on a database that is not the Storefront, the Storefront check says so and the generic ones run', async () => {
    const other = await emptyDatabase();
    try {
      const result = await runbook('health-check', QUICK_HEALTH_CHECK, { url: other.url });
      expect(result.code, result.output).toBe(0);
      expect(result.stdout).toMatch(/· rollback +not a Storefront database/);
      expect(result.stdout).toMatch(/✓ vacuum-bloat/);
      const rollback = await runbook('rollback', [], { url: other.url });
      expect(rollback.code, rollback.output).toBe(2);
      expect(rollback.stderr).toContain('is not a Storefront database');
    } finally {
      await other.drop();
    }
  });
});

describe('rollback with a broken table', () => {
  test('switches the flag even when a bad migration renamed order_items', async ({ database }) => {
    await database.pool.query(`update feature_flags set value = 'kysely' where key = 'data_layer'`);
    await database.pool.query('alter table order_items rename to order_items_renamed');
    try {
      const result = await runbook('rollback', ['--execute', '--yes', '--keep-schema'], { url: database.url });
      expect(result.stdout).toContain('✓ data_layer switched to legacy');
      expect(result.stdout).toContain('table(s) missing: order_items');
      // The flag is switched; the schema is still broken, so the run does not claim health.
      expect(result.code, result.output).toBe(1);
      expect(await readDataLayerFlag(database.db)).toBe('legacy');
    } finally {
      await database.pool.query('alter table order_items_renamed rename to order_items');
    }
  });
});
