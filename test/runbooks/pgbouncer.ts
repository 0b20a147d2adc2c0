// Starts a real PgBouncer in front of a test server. Missing locally: the test is skipped
// with the install command; missing under CI=true: the test fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../lib/db/resolve-database.ts';

const PGBOUNCER_INSTALL = 'sudo apt-get install -y pgbouncer';

export function requirePgbouncer(skip: (note: string) => never): string {
  const found = spawnSync('sh', ['-c', 'command -v pgbouncer || ls /usr/sbin/pgbouncer'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim().split('\n')[0] : '';
  if (path) return path;
  const message = `pgbouncer is not installed; install it with: ${PGBOUNCER_INSTALL}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing tool fails the run)`);
  return skip(message);
}

export interface Bouncer {
  port: number;
  /** URL of a pooled database through PgBouncer. */
  url(database: string, user: string, password: string): string;
  stop(): Promise<void>;
}

/** PgBouncer (session pooling, `poolSize` server connections per user) in front of `serverUrl`; `users` may log in, `admin` reaches the console. */
export async function startPgbouncer(
  binary: string,
  serverUrl: string,
  users: Record<string, string>,
  admin: string,
  poolSize: number,
): Promise<Bouncer> {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), 'handbook-pgbouncer-'));
  // PgBouncer refuses to run as root; it switches to the postgres user, which must read this folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(
    join(dir, 'users.txt'),
    Object.entries(users)
      .map(([user, password]) => `"${user}" "${password}"`)
      .join('\n') + '\n',
    { mode: 0o644 },
  );
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `storefront = host=${server.hostname} port=${server.port} dbname=${server.pathname.slice(1) || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = plain',
      `auth_file = ${join(dir, 'users.txt')}`,
      `admin_users = ${admin}`,
      'pool_mode = session',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 100',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const args = [...(userInfo().uid === 0 ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')];
  const child: ChildProcess = spawn(binary, args, { stdio: 'ignore' });
  const url = (database: string, user: string, password: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  // Ready when the console answers.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new pg.Client({ connectionString: url('pgbouncer', admin, users[admin]!) });
    probe.on('error', () => {});
    const ok = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => {});
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('pgbouncer did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
