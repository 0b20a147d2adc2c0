import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DatabaseUnavailableError, resolveDatabase, sweepOrphanedServers } from '../../lib/db/resolve-database.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { isAlive } from '../../lib/process-alive.ts';

/** Starts the resolver in a child process that prints its data directory, then waits. */
function startChildServer(): Promise<{ child: ReturnType<typeof spawn>; dataDir: string }> {
  const script = `
    import { resolveDatabase } from ${JSON.stringify(join(PROJECT_ROOT, 'lib/db/resolve-database.ts'))};
    const db = await resolveDatabase({ env: { HANDBOOK_DB: 'embedded' }, log: () => {} });
    console.log(db.description.match(/data in (.*)\\)/)[1]);
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve({ child, dataDir: String(chunk).trim() }));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

const postmasterPid = (baseDir: string) => Number(readFileSync(join(baseDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('database resolver', () => {
  it('uses DATABASE_URL when it is set, and never logs its password', async () => {
    const lines: string[] = [];
    const url = 'postgres://app:s3cret-pw@db.internal:6543/storefront';
    const resolved = await resolveDatabase({ env: { DATABASE_URL: url }, log: (line) => lines.push(line) });
    expect(resolved.source).toBe('url');
    expect(resolved.url).toBe(url);
    expect(lines.join('\n')).toContain('db.internal:6543');
    expect(lines.join('\n')).not.toContain('s3cret-pw');
  });

  it('starts an embedded server that answers SQL, and leaves nothing running after stop()', async () => {
    const lines: string[] = [];
    const resolved = await resolveDatabase({ env: { HANDBOOK_DB: 'embedded' }, log: (line) => lines.push(line) });
    expect(resolved.source).toBe('embedded');
    expect(lines[0]).toMatch(/using embedded PostgreSQL on 127\.0\.0\.1:\d+/);
    const dataDir = resolved.description.match(/data in (.*)\)/)![1]!;
    const pid = postmasterPid(dataDir);
    const client = new pg.Client(resolved.url);
    await client.connect();
    const { rows } = await client.query(`select current_setting('server_version_num')::int as version, 6 * 7 as answer`);
    await client.end();
    expect(rows[0]).toMatchObject({ answer: 42 });
    expect(rows[0].version).toBeGreaterThanOrEqual(150000);

    await resolved.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('stops its server and removes the data folder when the process gets Ctrl-C', async () => {
    const { child, dataDir } = await startChildServer();
    const pid = postmasterPid(dataDir);
    expect(isAlive(pid)).toBe(true);
    child.kill('SIGINT');
    await expect.poll(() => !isAlive(pid) && !existsSync(dataDir), { timeout: 20_000 }).toBe(true);
  });

  it('sweeps a server whose owner was killed outright (SIGKILL) on the next start', async () => {
    const { child, dataDir } = await startChildServer();
    const pid = postmasterPid(dataDir);
    child.kill('SIGKILL');
    await expect.poll(() => child.exitCode !== null || child.signalCode !== null, { timeout: 20_000 }).toBe(true);
    expect(isAlive(pid)).toBe(true);
    expect(sweepOrphanedServers()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => isAlive(pid), { timeout: 20_000 }).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("never signals a process that merely reuses an orphan folder's recorded PID", () => {
    // A dead owner (PID 2^22 + 1 is above Linux's default pid_max) and a postmaster.pid naming an unrelated live process.
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const dir = join(tmpdir(), `handbook-pg-4194305-${Date.now()}`);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'postmaster.pid'), `${bystander.pid}\n${dir}/data\n`);
    try {
      sweepOrphanedServers();
      expect(existsSync(dir)).toBe(false);
      expect(isAlive(bystander.pid!)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains in one line what it tried when nothing can be started', async () => {
    // No DOCKER_HOST and no socket, even on a CI runner where Docker answers.
    const error = await resolveDatabase({ env: { HANDBOOK_DB: 'container' }, dockerSockets: [], log: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('DATABASE_URL is not set');
    expect(message).toContain('no container runtime');
    expect(message).toMatch(/Fix: set DATABASE_URL=/);
  });
});
