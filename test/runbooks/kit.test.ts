// The runbook contract, checked on real subprocesses and a real server: bad input,
// unreachable targets, timeouts, privileges, concurrency, Ctrl-C and signalling safety.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { test, describe, expect } from '../harness/database.ts';
import { vi } from 'vitest';
import { deadTuples, holdLock, idleInTransaction } from '../../runbooks/drills/faults.ts';
import { Session } from '../../runbooks/kit/session.ts';
import { Progress } from '../../runbooks/kit/output.ts';
import { cancelBackend, terminateBackend } from '../../runbooks/kit/preflight.ts';
import { blockingSessions } from '../../runbooks/steps/lock-contention.ts';
import { CHECKED } from '../../runbooks/steps/health-check.ts';
import { runbook } from './run-runbook.ts';
import { admin } from '../harness/database.ts';
import { createRole } from './roles.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const UNREACHABLE = 'postgres://oncall:s3cret-pw@127.0.0.1:1/storefront';

describe('runbook kit: usage and targets', () => {
  test('a connection string the URL parser rejects exits 2 and never echoes it, password included', async () => {
    for (const [args, url] of [
      [[], 'postgres://oncall:hunter2@127.0.0.1:99999/storefront'],
      [['--database-url', 'postgres://oncall:hunter2@127.0.0.1:5x32/storefront'], undefined],
    ] as const) {
      const result = await runbook('lock-contention', [...args], { url });
      expect(result.code, result.output).toBe(2);
      expect(result.output).toContain('is not a valid URL');
      expect(result.output).not.toContain('hunter2');
      expect(result.output).not.toMatch(/\n\s+at /);
    }
  });

  test('an audit log that cannot be written stops a write before anything runs', async ({ database }) => {
    const fault = await idleInTransaction(database.url, 2);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const count = async () =>
        (
          await database.pool.query(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`,
          )
        ).rows[0].n;
      const before = await count();
      // A path under a regular file can never be created.
      const result = await runbook(
        'connection-saturation',
        ['--older-than', '1s', '--execute', '--yes', '--audit-log', join(PROJECT_ROOT, 'package.json', 'audit.jsonl')],
        { url: database.url },
      );
      expect(result.code, result.output).toBe(2);
      expect(result.output).toContain('cannot write the audit log');
      expect(await count()).toBe(before);
    } finally {
      await fault.clear();
    }
  });

  test('a raw password with @ and # in the URL is read as a password: it connects and never prints any part of it', async ({
    database,
  }) => {
    const role = await createRole(admin(), database.url, ['pg_monitor']);
    const password = 'p@ss#w0rd';
    await admin().query(`alter role ${role.name} password '${password}'`);
    try {
      const url = new URL(database.url);
      const raw = `postgres://${role.name}:${password}@${url.host}${url.pathname}`;
      const result = await runbook('connection-saturation', [], { url: raw });
      expect(result.code, result.output).toBe(0);
      expect(result.output).not.toMatch(/w0rd|ss#|p@ss|cannot reach/);
      // A wrong raw password is an authentication failure (where the server checks passwords), still without any part of it.
      const wrong = await runbook('connection-saturation', [], { url: `postgres://${role.name}:n0t#my@pw@${url.host}${url.pathname}` });
      expect([0, 3]).toContain(wrong.code);
      expect(wrong.output).not.toMatch(/n0t|my@pw/);
      if (wrong.code === 3) expect(wrong.stderr).toContain('authentication failed');
    } finally {
      await role.drop();
    }
  });

  test('an audit log path that can never be created fails at once with one line (exit 2), instead of hanging', async () => {
    const result = await runbook('vacuum-bloat', ['--execute', '--yes', '--table', 'products', '--audit-log', '/proc/nope/x'], {
      url: UNREACHABLE,
      timeoutMs: 10_000,
    });
    expect(result.code, result.output).toBe(2);
    expect(result.ms).toBeLessThan(8000);
    expect(result.stderr.split('\n')[0]).toMatch(/cannot write the audit log \/proc\/nope\/x \(ENOENT\)/);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  test.each([
    ['slow-queries', ['--explain-pid', '-5'], '--explain-pid must be a positive integer (a backend PID), got "-5"'],
    ['connection-saturation', ['--older-than', '-30s'], '--older-than must be a positive duration like 500ms, 30s, 5m or 1h, got "-30s"'],
    ['lock-contention', ['--max-signals', '-1'], '--max-signals must be a positive integer, got "-1"'],
  ])('%s %j says what the value must be (exit 2), not "ambiguous"', async (name, args, message) => {
    const result = await runbook(name, args, { url: UNREACHABLE });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('ambiguous');
  });

  test('with no DATABASE_URL and no --database-url it exits 2 naming the variable, without guessing localhost', async () => {
    const result = await runbook('lock-contention', [], { env: { DATABASE_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('set DATABASE_URL');
    expect(result.output).not.toMatch(/ECONNREFUSED|cannot reach/);
  });

  test('an unreachable database exits 3 with one line, no stack trace and no password', async () => {
    const result = await runbook('health-check', [], { url: UNREACHABLE });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cannot reach PostgreSQL at 127.0.0.1:1/storefront');
    expect(result.output).not.toMatch(/\n\s+at /);
    expect(result.output).not.toContain('s3cret-pw');
  });

  test('a wrong password exits 3 saying authentication failed, never showing the password', async ({ database, skip }) => {
    const url = new URL(database.url);
    url.password = 'wrong-Pa55word';
    const probe = new pg.Client({ connectionString: url.toString() });
    const accepted = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => {});
    if (accepted) skip('this server accepts any password (trust authentication), so a wrong password cannot fail');
    const result = await runbook('lock-contention', [], { url: url.toString() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('authentication failed');
    expect(result.output).not.toContain('wrong-Pa55word');
  });

  test.each([['abc'], ['1; drop table orders'], ['-5'], ['0']])('--explain-pid %j exits 2 before connecting', async (pid) => {
    // The target is unreachable: reaching it would exit 3, so exit 2 proves nothing ran.
    const result = await runbook('slow-queries', [`--explain-pid=${pid}`], { url: UNREACHABLE });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--explain-pid must be a positive integer');
  });

  test('a duration that does not parse exits 2 naming the flag', async () => {
    const result = await runbook('connection-saturation', ['--older-than', 'soon'], { url: UNREACHABLE });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--older-than must be a duration');
  });

  test('a write without --yes and without a terminal refuses before connecting', async () => {
    const result = await runbook('lock-contention', ['--execute'], { url: UNREACHABLE });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to write: no terminal is attached');
  });

  test('--help prints the purpose, the flags and the exit codes', async () => {
    const result = await runbook('vacuum-bloat', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Lists tables by dead tuples');
    expect(result.stdout).toContain('--table <value>');
    expect(result.stdout).toContain('3   database unreachable or authentication failed');
    expect(result.stdout).toContain('4   could not see');
  });

  test('--dry-run prints the exact SQL of every step without connecting', async () => {
    const { connectionSaturation } = await import('../../runbooks/steps/connection-saturation.ts');
    const result = await runbook('connection-saturation', ['--dry-run'], { url: UNREACHABLE });
    expect(result.code).toBe(0);
    for (const step of connectionSaturation.steps) expect(result.stdout).toContain(step.sql);
  });
});

describe('runbook kit: sessions', () => {
  test('sessions carry the runbook name and the timeouts, and diagnosis cannot write', async ({ database }) => {
    const session = new Session(
      database.url,
      'kit-test',
      [blockingSessions],
      { statementTimeoutMs: 1234, lockTimeoutMs: 567, idleInTransactionTimeoutMs: 8900 },
      new Progress(false),
    );
    await session.connect();
    try {
      const { rows } = await session.client.query(
        `select current_setting('application_name') as app, current_setting('statement_timeout') as st,
                current_setting('lock_timeout') as lt, current_setting('idle_in_transaction_session_timeout') as it`,
      );
      expect(rows[0]).toEqual({ app: 'runbook/kit-test', st: '1234ms', lt: '567ms', it: '8900ms' });
      const sneaky = { ...blockingSessions, id: 'sneaky', sql: `update products set stock = 0` };
      await expect(session.read(sneaky)).rejects.toMatchObject({ code: '25006' });
    } finally {
      await session.close();
    }
  });

  test('a signal step never touches its own backend or a PID whose session changed', async ({ database }) => {
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      const {
        rows: [me],
      } = await database.pool.query(`select pg_backend_pid() as pid`);
      const {
        rows: [them],
      } = await database.pool.query(
        `select pid, backend_start::text as backend_start, query_start::text as query_start from pg_stat_activity where pid = $1`,
        [(other as unknown as { processID: number }).processID],
      );
      const { rows: own } = await database.pool.query(cancelBackend.sql, [me.pid, null, null]);
      expect(own).toEqual([]);
      // Same PID but another backend_start: the session we diagnosed is gone, so nothing is signalled.
      const { rows: moved } = await database.pool.query(terminateBackend.sql, [them.pid, '2001-01-01 00:00:00+00', them.query_start]);
      expect(moved).toEqual([]);
      expect((await other.query('select 1 as alive')).rows[0].alive).toBe(1);
    } finally {
      await other.end().catch(() => {});
    }
  });

  test('every diagnostic query that returns a list is bounded by LIMIT, and statement text is truncated', () => {
    for (const runbook of CHECKED) {
      for (const step of runbook.steps.filter((s) => s.kind === 'read')) {
        if (/\bquery\b/.test(step.sql) && /pg_stat/.test(step.sql) && !/where pid = \$1/.test(step.sql)) {
          expect(step.sql, `${runbook.slug}/${step.id}`).toMatch(/left\(\s*(a\.)?query, \d+\)/);
        }
        if (/group by|order by/.test(step.sql)) expect(step.sql, `${runbook.slug}/${step.id}`).toMatch(/limit (\d+|\$1)/);
      }
    }
  });
});

describe('runbook kit: privileges', () => {
  test('diagnosis works with only pg_monitor; remediation names the missing pg_signal_backend and changes nothing', async ({
    database,
  }) => {
    const role = `rb_monitor_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(8).toString('hex');
    await database.pool.query(`create role ${role} login password '${password}' in role pg_monitor`);
    const fault = await holdLock(database.url, 1);
    try {
      const url = new URL(database.url);
      url.username = role;
      url.password = password;
      const found = await runbook('lock-contention', ['--min-wait', '10ms'], { url: url.toString() });
      expect(found.code, found.output).toBe(1);
      expect(found.stdout).toContain(`PID ${fault.holderPid}`);
      const refused = await runbook('lock-contention', ['--min-wait', '10ms', '--execute', '--yes'], { url: url.toString() });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`role "${role}" lacks pg_signal_backend`);
      expect(refused.output).not.toContain(password);
      const { rows } = await database.pool.query('select count(*)::int as n from pg_stat_activity where pid = $1', [fault.holderPid]);
      expect(rows[0].n).toBe(1);
    } finally {
      await fault.clear();
      await database.pool.query(`drop role if exists ${role}`);
    }
  });
});

describe('runbook kit: EXPLAIN with pg_monitor', () => {
  test('--explain-pid says EXPLAIN needs SELECT on the tables, which pg_monitor does not give', async ({ database }) => {
    const role = await createRole(admin(), database.url, ['pg_monitor']);
    const busy = new pg.Client({ connectionString: database.url });
    await busy.connect();
    try {
      const pid = (await busy.query('select pg_backend_pid() as pid')).rows[0].pid;
      const running = busy.query('select pg_sleep(20), count(*) from products').catch(() => {});
      await vi.waitFor(
        async () => {
          const { rowCount } = await database.pool.query(`select 1 from pg_stat_activity where pid = $1 and state = 'active'`, [pid]);
          if (!rowCount) throw new Error(`PID ${pid} is not running its statement yet`);
        },
        { timeout: 30_000, interval: 50 },
      );
      const result = await runbook('slow-queries', ['--longer-than', '1ms', '--explain-pid', String(pid)], { url: role.url });
      expect(result.code, result.output).toBe(1);
      expect(result.stdout).toContain(
        `cannot EXPLAIN the statement of PID ${pid}: role "${role.name}" may not EXPLAIN it: EXPLAIN needs SELECT on every table the statement reads, which pg_monitor does not give`,
      );
      await database.pool.query('select pg_cancel_backend($1)', [pid]);
      await running;
    } finally {
      await busy.end().catch(() => {});
      await role.drop();
    }
  });
});

describe('runbook kit: timeouts, concurrency and Ctrl-C', () => {
  test('a statement timeout names the step that hit it', async ({ database }) => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table products in access exclusive mode');
      const result = await runbook('vacuum-bloat', ['--statement-timeout', '300ms', '--lock-timeout', '30s'], { url: database.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'step 1 "List tables by dead tuples, with their last vacuum and estimated bloat" hit statement_timeout',
      );
    } finally {
      await holder.end();
    }
  });

  test('a second run of a write runbook fails fast, and Ctrl-C cancels the first run’s query on the server', async ({ database }) => {
    const fault = await deadTuples(database.url, 'products');
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    const auditLog = join(tmpdir(), `handbook-audit-kit-${database.name}.jsonl`);
    const args = [
      '--execute',
      '--yes',
      '--table',
      'products',
      '--lock-timeout',
      '60s',
      '--statement-timeout',
      '60s',
      '--audit-log',
      auditLog,
    ];
    try {
      // SHARE mode lets the diagnosis read the table but makes VACUUM wait.
      await holder.query('begin');
      await holder.query('lock table products in share mode');
      let child: import('node:child_process').ChildProcess | undefined;
      const first = runbook('vacuum-bloat', args, { url: database.url, onSpawn: (c) => (child = c) });
      const vacuumPid = await vi.waitFor(
        async () => {
          const { rows } = await database.pool.query(
            `select pid from pg_stat_activity where application_name = 'runbook/vacuum-bloat' and query like 'vacuum%' and wait_event_type = 'Lock'`,
          );
          if (!rows[0]) throw new Error('the first run has not reached its VACUUM yet');
          return rows[0].pid as number;
        },
        { timeout: 30_000, interval: 50 },
      );

      const second = await runbook('vacuum-bloat', args, { url: database.url });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('another run of runbook/vacuum-bloat is already acting');
      // Fails fast: it returned while the first run is still waiting on the lock, so it never queued behind it.
      expect(child!.exitCode).toBeNull();

      child!.kill('SIGINT');
      const result = await first;
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/aborted at step \d+ \(VACUUM \(ANALYZE\) the table\)/);
      const { rows } = await database.pool.query(`select state, query from pg_stat_activity where pid = $1`, [vacuumPid]);
      expect(rows.filter((row) => row.state === 'active')).toEqual([]);
      const audit = readFileSync(auditLog, 'utf8');
      expect(audit).toContain('aborted at step');
    } finally {
      await holder.end();
      await fault.clear();
    }
  });
});
