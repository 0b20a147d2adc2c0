// Starts Debian's PgBouncer in front of a real PostgreSQL, on a free port, for one test file:
// in transaction pooling mode for the guide's advice (test/snippets/setup/pgbouncer.test.ts),
// in session mode with real logins and the admin console for the runbooks
// (test/runbooks/connection-saturation.test.ts). A missing binary is skipped locally with the
// install command and fails under CI=true (test/support/executables.ts).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../lib/free-port.ts';
import { findExecutable, missingMessage, requireExecutable } from './executables.ts';

const PGBOUNCER_INSTALL = 'sudo apt-get install -y pgbouncer';

/** Why a PgBouncer test cannot run here. */
export const PGBOUNCER_MISSING = missingMessage('pgbouncer', PGBOUNCER_INSTALL);

export function findPgbouncer(): string | undefined {
  return findExecutable('pgbouncer');
}

export function requirePgbouncer(skip: (note: string) => never): string {
  return requireExecutable('pgbouncer', PGBOUNCER_INSTALL, skip);
}

interface PgbouncerOptions {
  /** `transaction` by default. */
  poolMode?: 'transaction' | 'session';
  /** Server connections per database and user (default_pool_size); 4 by default. */
  poolSize?: number;
  /**
   * Who may log in, with their passwords: PgBouncer checks them and logs in to PostgreSQL as
   * the same role. Without it, anyone is let in and PostgreSQL sees the user of `serverUrl`.
   */
  users?: Record<string, string>;
  /** A user of `users` allowed on the admin console (database `pgbouncer`). */
  admin?: string;
  /** Names PgBouncer offers for a database of the server: `{ storefront: 'postgres' }`. */
  aliases?: Record<string, string>;
}

export interface Pgbouncer {
  port: number;
  /**
   * `target`, a URL of the server behind it, reached through PgBouncer: the same login and
   * the same database, or `database` instead (an alias, or `pgbouncer` for the admin console).
   */
  url(target: string, database?: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** Every database on the server behind `serverUrl` is reachable by its name, and by its alias. */
export async function startPgbouncer(binary: string, serverUrl: string, options: PgbouncerOptions = {}): Promise<Pgbouncer> {
  const server = new URL(serverUrl);
  const { users } = options;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'handbook-pgbouncer-'));
  // As root, PgBouncer must drop to another user, who has to be able to read the files.
  chmodSync(dir, 0o755);
  const backend = [`host=${server.hostname}`, `port=${server.port || 5432}`];
  if (!users) {
    // Clients are local tests; PgBouncer itself logs in to PostgreSQL with the URL's credentials.
    backend.push(`user=${decodeURIComponent(server.username) || 'postgres'}`);
    if (server.password) backend.push(`password=${decodeURIComponent(server.password)}`);
  }
  const logins = users ?? { [decodeURIComponent(server.username) || 'postgres']: '' };
  writeFileSync(
    join(dir, 'users.txt'),
    Object.entries(logins)
      .map(([user, password]) => `"${user}" "${password}"\n`)
      .join(''),
    { mode: 0o644 },
  );
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      ...Object.entries(options.aliases ?? {}).map(([alias, database]) => `${alias} = ${backend.join(' ')} dbname=${database}`),
      `* = ${backend.join(' ')}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      `auth_type = ${users ? 'plain' : 'trust'}`,
      `auth_file = ${join(dir, 'users.txt')}`,
      ...(options.admin ? [`admin_users = ${options.admin}`] : []),
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 4}`,
      'max_client_conn = 200',
      'server_login_retry = 1',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start on port ${port}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    await sleep(50);
  }

  return {
    port,
    url(target, database) {
      const through = new URL(target);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      // Without `users`, PgBouncer asks for no password.
      if (!users) through.password = '';
      if (database) through.pathname = `/${database}`;
      return through.toString();
    },
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM: shut down now, without waiting for clients to leave.
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(3000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
