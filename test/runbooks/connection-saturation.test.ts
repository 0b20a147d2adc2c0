import pg from 'pg';
import { test, describe, expect } from '../harness/database.ts';
import { idleInTransaction } from '../../runbooks/drills/faults.ts';
import { resolveDatabase } from '../../lib/db/resolve-database.ts';
import { QUICK_HEALTH_CHECK, runbook } from './run-runbook.ts';
import { DOCUMENTED_ROLE, createRole } from './roles.ts';
import { requirePgbouncer, startPgbouncer } from '../support/pgbouncer.ts';

describe('connection-saturation runbook', () => {
  test('exits 0 on a healthy database', async ({ database }) => {
    const result = await runbook('connection-saturation', [], { url: database.url });
    expect(result.code, result.output).toBe(0);
  });

  test('flags every idle-in-transaction session by PID and terminates them with --execute --yes', async ({ database }) => {
    const fault = await idleInTransaction(database.url, 6);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const found = await runbook('connection-saturation', ['--older-than', '100ms'], { url: database.url });
      expect(found.code, found.output).toBe(1);
      for (const pid of fault.pids) expect(found.stdout).toContain(`PID ${pid} idle in transaction`);

      const capped = await runbook('connection-saturation', ['--older-than', '100ms', '--execute', '--yes', '--max-signals', '4'], {
        url: database.url,
      });
      expect(capped.code, capped.output).toBe(1);
      expect(capped.stdout).toContain('stopped at --max-signals 4; 2 session(s) left');

      const fixed = await runbook('connection-saturation', ['--older-than', '100ms', '--execute', '--yes'], { url: database.url });
      expect(fixed.code, fixed.output).toBe(0);
      const { rows } = await database.pool.query('select count(*)::int as n from pg_stat_activity where pid = any($1)', [fault.pids]);
      expect(rows[0].n).toBe(0);
    } finally {
      await fault.clear();
    }
  });
});

// Filling every slot is only ever done on a throwaway embedded server started here (never on a
// shared DATABASE_URL server): 8 slots, 1 kept for superusers and 2 for pg_use_reserved_connections.
describe('connection-saturation when the server has no slot left', () => {
  // Five runbook processes and a server of its own: up to 30 s each on a loaded machine.
  test('says in one line that the server refused for lack of slots (exit 1), and a reserved slot gets on-call in', async () => {
    const server = await resolveDatabase({
      env: { HANDBOOK_DB: 'embedded' },
      log: () => {},
      serverSettings: { max_connections: '8', superuser_reserved_connections: '1', reserved_connections: '2' },
    });
    // Its one connection holds an ordinary slot for the whole test: with pg's default 10 s idle
    // timeout it closed mid-test on a loaded machine, and the freed slot let a runbook in.
    const admin = new pg.Pool({ connectionString: server.url, max: 1, idleTimeoutMillis: 0 });
    // Stopping the server ends idle connections with 57P01; that is the end of the test, not an error.
    admin.on('error', () => {});
    const clients: pg.Client[] = [];
    try {
      const app = await createRole(admin, server.url, [], 'app');
      const oncall = await createRole(admin, server.url, DOCUMENTED_ROLE, 'oncall');
      // The application takes every slot an ordinary role may use.
      for (;;) {
        const c = new pg.Client({ connectionString: app.url, application_name: 'storefront-leak' });
        c.on('error', () => {});
        const ok = await c.connect().then(
          () => true,
          () => false,
        );
        if (!ok) break;
        clients.push(c);
      }
      expect(clients.length).toBeGreaterThan(0);

      const refused = await runbook('connection-saturation', [], { url: oncall.url });
      expect(refused.code, refused.output).toBe(1);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('refused a connection for lack of slots (SQLSTATE 53300');
      expect(refused.stderr).toContain('pg_use_reserved_connections');
      expect(refused.output).not.toContain(oncall.password);

      // The health check looks for saturation too; a runbook about something else says it cannot get in (exit 3).
      expect((await runbook('health-check', QUICK_HEALTH_CHECK, { url: oncall.url })).code).toBe(1);
      const other = await runbook('lock-contention', [], { url: oncall.url });
      expect(other.code, other.output).toBe(3);
      expect(other.stderr).toContain('lack of slots');

      // What the page tells on-call to ask for: a reserved slot (PostgreSQL 16+).
      await admin.query(`grant pg_use_reserved_connections to ${oncall.name}`);
      const inside = await runbook('connection-saturation', [], { url: oncall.url });
      expect(inside.code, inside.output).toBe(1);
      expect(inside.stdout).toMatch(
        /✗ \d+ of 5 usable connections in use \(\d+%; max_connections 8, 1 reserved, 2 more for pg_use_reserved_connections\)/,
      );
      expect(inside.stdout).toMatch(/storefront-leak/);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await admin.end();
      await server.stop();
    }
  }, 180_000);

  test('behind PgBouncer, its admin console still answers on-call and shows which pool holds the server slots', async ({ skip }) => {
    const binary = requirePgbouncer(skip);
    const server = await resolveDatabase({
      env: { HANDBOOK_DB: 'embedded' },
      log: () => {},
      serverSettings: { max_connections: '6', superuser_reserved_connections: '1' },
    });
    // Its one connection holds an ordinary slot for the whole test: with pg's default 10 s idle
    // timeout it closed mid-test on a loaded machine, and the freed slot let a runbook in.
    const admin = new pg.Pool({ connectionString: server.url, max: 1, idleTimeoutMillis: 0 });
    admin.on('error', () => {});
    const clients: pg.Client[] = [];
    let bouncer: Awaited<ReturnType<typeof startPgbouncer>> | undefined;
    try {
      const app = await createRole(admin, server.url, [], 'app');
      const oncall = await createRole(admin, server.url, DOCUMENTED_ROLE, 'oncall');
      await admin.end();
      // The pool may open as many server connections as ordinary roles may have: all of them.
      bouncer = await startPgbouncer(binary, server.url, {
        poolMode: 'session',
        poolSize: 5,
        users: { [app.name]: app.password, [oncall.name]: oncall.password },
        admin: oncall.name,
        aliases: { storefront: new URL(server.url).pathname.slice(1) || 'postgres' },
      });
      for (let i = 0; i < 5; i++) {
        const c = new pg.Client({ connectionString: bouncer.url(app.url, 'storefront') });
        c.on('error', () => {});
        await c.connect();
        await c.query('select 1');
        clients.push(c);
      }
      const refused = await runbook('connection-saturation', [], { url: oncall.url });
      expect(refused.code, refused.output).toBe(1);
      expect(refused.stderr).toContain('lack of slots');

      const console = new pg.Client({ connectionString: bouncer.url(oncall.url, 'pgbouncer') });
      await console.connect();
      try {
        const { rows } = await console.query('SHOW POOLS');
        expect(rows.find((row) => row.database === 'storefront' && row.user === app.name)).toMatchObject({ sv_active: 5, cl_active: 5 });
      } finally {
        await console.end();
      }
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await bouncer?.stop();
      await admin.end().catch(() => {});
      await server.stop();
    }
  }, 120_000);
});
