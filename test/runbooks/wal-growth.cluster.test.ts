// The wal-growth runbook against a real server holding WAL back: an abandoned
// replication slot, then a failing archive_command. Debian PostgreSQL 15, throwaway cluster.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DebianCluster } from '../../scripts/db/debian-cluster.ts';
import { missingDebianPostgres, skipUnlessCi } from '../support/executables.ts';
import { runbook } from './run-runbook.ts';

const missing = skipUnlessCi(missingDebianPostgres());

let cluster: DebianCluster;

/** About 12 MB of WAL, then a segment switch so the archiver has work. */
async function writeWal(): Promise<void> {
  await cluster.query(`insert into filler select g, repeat('w', 500) from generate_series(1, 20000) g`);
  await cluster.query('select pg_switch_wal()');
}

beforeAll(async () => {
  if (missing) return;
  cluster = await DebianCluster.create({
    settings: { wal_level: 'replica', archive_mode: 'on', archive_command: "'/bin/true'", max_wal_size: "'32MB'", min_wal_size: "'32MB'" },
  });
  await cluster.start();
  await cluster.query('create table filler (id int, payload text)');
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
});

describe.skipIf(Boolean(missing))('wal-growth runbook', () => {
  test('exits 0 when no slot or archive_command holds WAL back', async () => {
    const result = await runbook('wal-growth', [], { url: cluster.url() });
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('archive_command succeeds');
  });

  test('an abandoned slot: names it, and --execute --slot drops it and the runbook exits 0', async () => {
    await cluster.query(`select pg_create_physical_replication_slot('i14_lost_replica', true)`);
    await writeWal();
    const found = await runbook('wal-growth', ['--slot-limit-mb', '4', '--json'], { url: cluster.url() });
    expect(found.code, found.output).toBe(1);
    const report = JSON.parse(found.stdout);
    expect(report.summary).toMatch(/inactive slot i14_lost_replica keeps \d+\.\d MB/);
    expect(report.next).toContain('--execute --slot i14_lost_replica');
    const unnamed = await runbook('wal-growth', ['--execute', '--yes'], { url: cluster.url() });
    expect(unnamed.code, 'dropping needs a named slot').toBe(2);
    const fixed = await runbook('wal-growth', ['--slot-limit-mb', '4', '--execute', '--yes', '--slot', 'i14_lost_replica'], {
      url: cluster.url(),
    });
    expect(fixed.code, fixed.output).toBe(0);
    expect(fixed.stdout).toContain('dropped replication slot i14_lost_replica');
    expect(await cluster.query(`select 1 from pg_replication_slots`)).toHaveLength(0);
  }, 60_000);

  test('a failing archive_command: names the segment and the command; after the fix the archiver catches up and it exits 0', async () => {
    await cluster.query(`alter system set archive_command = 'false'`);
    await cluster.query('select pg_reload_conf()');
    await writeWal();
    const failing = async () =>
      (
        await cluster.query<{ failing: boolean }>(
          `select coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false) as failing from pg_stat_archiver`,
        )
      )[0]!.failing;
    for (let i = 0; i < 100 && !(await failing()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const found = await runbook('wal-growth', [], { url: cluster.url() });
    expect(found.code, found.output).toBe(1);
    expect(found.stdout).toMatch(/archive_command is failing: \d+ failure\(s\), the last for [0-9A-F]{24}/);
    expect(found.stdout).toContain('command: false');
    await cluster.query(`alter system set archive_command = '/bin/true'`);
    await cluster.query('select pg_reload_conf()');
    for (let i = 0; i < 150 && (await failing()); i++) await new Promise((resolve) => setTimeout(resolve, 200));
    const fixed = await runbook('wal-growth', [], { url: cluster.url() });
    expect(fixed.code, fixed.output).toBe(0);
    expect(fixed.stdout).toContain('since recovered');
  }, 90_000);
});
