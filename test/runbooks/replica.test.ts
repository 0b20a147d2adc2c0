// A server in recovery, the way a streaming replica looks to a client: initdb, then
// start with standby.signal and no primary, so it stays read-only in recovery.
// The write runbooks must refuse to act on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { freePort } from '../../lib/free-port.ts';
import { embeddedBinaries } from '../../lib/db/embedded-server.ts';
import { runCommand } from '../support/run-command.ts';
import { runbook } from './run-runbook.ts';

let server: ChildProcess | undefined;
let dataDir = '';
let url = '';

beforeAll(async () => {
  // The embedded binaries, where the user PostgreSQL runs as can reach them (root runs it as
  // `postgres`, which cannot enter a clone in root's 0700 home: the helper copies them out).
  const { owner, bin } = await embeddedBinaries();
  const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const initdb = bin('initdb');
  const postgres = bin('postgres');
  dataDir = mkdtempSync(join(tmpdir(), 'handbook-replica-'));
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid);
  const initialised = await runCommand(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-data-checksums'], ids);
  if (initialised.code !== 0) throw new Error(`initdb failed (exit ${initialised.code}): ${initialised.output}`);
  writeFileSync(join(dataDir, 'standby.signal'), '');
  if (ids.uid !== undefined) chownSync(join(dataDir, 'standby.signal'), ids.uid, ids.gid);
  const port = await freePort();
  server = spawn(
    postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    {
      ...ids,
      stdio: 'ignore',
    },
  );
  url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Until the standby accepts connections, however long a loaded machine takes.
  await vi.waitFor(
    async () => {
      const client = new pg.Client(url);
      await client.connect();
      await client.end();
    },
    { timeout: 50_000, interval: 100 },
  );
}, 60_000);

afterAll(() => {
  server?.kill('SIGQUIT');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('on a replica', () => {
  test('the server really is in recovery', async () => {
    const client = new pg.Client(url);
    await client.connect();
    const { rows } = await client.query('select pg_is_in_recovery() as in_recovery');
    await client.end();
    expect(rows[0].in_recovery).toBe(true);
  });

  test('diagnosis still runs, read-only', async () => {
    const result = await runbook('lock-contention', [], { url });
    expect(result.code, result.output).toBe(0);
  });

  test('connection-saturation finds an idle-in-transaction session but refuses to terminate it', async () => {
    // Read-only transactions are allowed on a replica, so this fault exists there too.
    const idle = new pg.Client({ connectionString: url, application_name: 'replica-idle-tx' });
    await idle.connect();
    await idle.query('begin');
    await idle.query('select 1');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const found = await runbook('connection-saturation', ['--older-than', '1s'], { url });
      expect(found.code, found.output).toBe(1);
      expect(found.output).toContain('replica-idle-tx');
      const result = await runbook('connection-saturation', ['--older-than', '1s', '--execute', '--yes'], { url });
      expect(result.output).toContain('refusing to remediate: this server is a replica');
      expect(result.code).toBe(1);
      // The session it refused to touch is still there.
      expect((await idle.query('select 1 as alive')).rows[0].alive).toBe(1);
    } finally {
      await idle.end();
    }
  });
});
