// A throwaway PostgreSQL cluster from Debian's own binaries (postgresql-15), in a
// temporary folder on a free port. The alert-loop test and the emergency drills
// use it to break a server on purpose: crash it, fill its WAL, restore it. The
// shared service on 5432 is never touched.
//   apt-get install postgresql-15
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../lib/free-port.ts';

export const DEBIAN_PG_BIN = process.env.HANDBOOK_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const DEBIAN_PG_INSTALL = 'sudo apt-get install -y postgresql-15';

export function debianBinariesPresent(): boolean {
  return ['initdb', 'postgres', 'pg_ctl', 'pg_basebackup'].every((name) => existsSync(join(DEBIAN_PG_BIN, name)));
}

/** PostgreSQL refuses to run as root; as root, run it as the postgres account. */
export function serverAccount(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return { uid, gid };
}

/** A folder the server account may write to (tmpdir, never root's 0700 home). */
export function serverFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ids = serverAccount();
  if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid!);
  return dir;
}

export interface ClusterOptions {
  /** postgresql.conf settings, written before the first start. */
  settings?: Record<string, string | number>;
  /** Use this data directory as it is (a restored base backup) instead of running initdb. */
  dataDir?: string;
  port?: number;
}

export class DebianCluster {
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  private process: ChildProcess | undefined;

  private constructor(dataDir: string, port: number) {
    this.dataDir = dataDir;
    this.port = port;
    this.logFile = join(dataDir, 'server.log');
  }

  static async create(options: ClusterOptions = {}): Promise<DebianCluster> {
    const ids = serverAccount();
    let dataDir = options.dataDir;
    if (!dataDir) {
      const parent = serverFolder('handbook-pg15-');
      dataDir = join(parent, 'data');
      execFileSync(
        join(DEBIAN_PG_BIN, 'initdb'),
        ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--data-checksums', '-E', 'UTF8', '--locale=C.UTF-8'],
        { ...ids, stdio: 'ignore' },
      );
    }
    const cluster = new DebianCluster(dataDir, options.port ?? (await freePort()));
    cluster.configure({
      listen_addresses: "'127.0.0.1'",
      port: cluster.port,
      unix_socket_directories: "''",
      fsync: 'off',
      ...options.settings,
    });
    return cluster;
  }

  /** Appends settings to postgresql.auto.conf-like include: the last value wins on the next start or reload. */
  configure(settings: Record<string, string | number>): void {
    const file = join(this.dataDir, 'postgresql.conf');
    appendFileSync(
      file,
      Object.entries(settings)
        .map(([key, value]) => `${key} = ${value}\n`)
        .join(''),
    );
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Starts the server and waits until it accepts connections (or throws with the log's tail). */
  async start(timeoutMs = 30_000): Promise<void> {
    const ids = serverAccount();
    if (!existsSync(this.logFile)) writeFileSync(this.logFile, '');
    if (ids.uid !== undefined) chownSync(this.logFile, ids.uid, ids.gid!);
    this.process = spawn('sh', ['-c', `exec "${join(DEBIAN_PG_BIN, 'postgres')}" -D "${this.dataDir}" >> "${this.logFile}" 2>&1`], {
      ...ids,
      stdio: 'ignore',
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`postgres exited during start-up: ${this.logTail()}`);
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`postgres did not accept connections within ${timeoutMs} ms: ${this.logTail()}`);
  }

  /** Fast shutdown (SIGINT): active transactions roll back, the server checkpoints. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    const child = this.process;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await Promise.race([exited, sleep(20_000)]);
    if (this.running) child.kill('SIGKILL');
  }

  logTail(lines = 8): string {
    if (!existsSync(this.logFile)) return '(no log)';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join(' | ');
  }

  async query<Row extends pg.QueryResultRow = Record<string, unknown>>(
    sqlText: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<Row[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<Row>(sqlText, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** Stops the server and deletes its folder (the parent made by create()). */
  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }
}

/** Runs a Debian PostgreSQL binary as the server account; returns its status and output. */
export function runBinary(name: string, args: string[], timeoutMs = 120_000): { status: number | null; output: string } {
  const result = spawnSync(join(DEBIAN_PG_BIN, name), args, { ...serverAccount(), encoding: 'utf8', timeout: timeoutMs });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
