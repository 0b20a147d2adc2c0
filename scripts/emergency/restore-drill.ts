// The restore drill: a point-in-time recovery rehearsed end to end on Debian's
// PostgreSQL 15 binaries, so the restore runbook is known to work before the day
// it is needed.
//   node scripts/emergency/restore-drill.ts            run it and print the figures
//   node scripts/emergency/restore-drill.ts --record   also write site/data/restore-drill.json
// 1. a primary with WAL archiving, 2. pg_basebackup, 3. writes after the backup,
// 4. an accident (half the rows deleted), 5. a restore of the backup into a fresh
// cluster, replaying archived WAL up to the moment before the accident, 6. a checksum
// of every row that existed at that moment, compared with the primary's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { DebianCluster, debianBinariesPresent, DEBIAN_PG_INSTALL, runBinary, serverAccount, serverFolder } from '../db/debian-cluster.ts';

export interface RestoreDrillFigures {
  date: string;
  postgres: string;
  /** Size of the base backup on disk. */
  backupBytes: number;
  /** WAL segments the archive held when the restore started. */
  archivedWalFiles: number;
  /** From copying the backup to the restored server accepting writes. */
  restoreSeconds: number;
  /** Rows that existed at the target time, compared one by one through their checksum. */
  rowsCompared: number;
  checksumMatches: boolean;
  /** Rows written after the target time that the restored server has (must be 0). */
  rowsAfterTarget: number;
  /** Rows the accident deleted that the restore brought back. */
  rowsRecovered: number;
}

function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}

const CHECKSUM = `select count(*)::int as rows, md5(coalesce(string_agg(id || ':' || note || ':' || created_at, ',' order by id), '')) as checksum
from drill_orders where created_at <= $1::timestamptz`;

export async function runRestoreDrill(log: (line: string) => void = () => {}): Promise<RestoreDrillFigures> {
  if (!debianBinariesPresent()) throw new Error(`PostgreSQL 15 binaries are missing; install them with: ${DEBIAN_PG_INSTALL}`);
  const work = serverFolder('handbook-restore-drill-');
  const archive = join(work, 'archive');
  const backup = join(work, 'backup');
  const ids = serverAccount();
  spawnSync('mkdir', ['-p', archive], { ...ids });
  // #region archive-settings
  const primary = await DebianCluster.create({
    settings: {
      wal_level: 'replica',
      archive_mode: 'on',
      // Never overwrite an archived segment: a second primary archiving to the same place must fail loudly.
      archive_command: `'test ! -f ${archive}/%f && cp %p ${archive}/%f'`,
      archive_timeout: 0,
    },
  });
  // #endregion archive-settings
  let restored: DebianCluster | undefined;
  try {
    await primary.start();
    const version = (await primary.query<{ v: string }>('select version() as v'))[0]!.v.split(' on ')[0]!;
    await primary.query(
      `create table drill_orders (id serial primary key, note text not null, created_at timestamptz not null default clock_timestamp())`,
    );
    await primary.query(`insert into drill_orders (note) select 'before backup ' || g from generate_series(1, 2000) g`);
    log('1. primary with WAL archiving, 2000 rows');

    // #region base-backup
    const base = runBinary('pg_basebackup', ['-d', primary.url(), '-D', backup, '-X', 'stream', '-c', 'fast']);
    // #endregion base-backup
    if (base.status !== 0) throw new Error(`pg_basebackup failed: ${base.output.trim()}`);
    const backupBytes = folderBytes(backup);
    log(`2. pg_basebackup: ${backupBytes} bytes`);

    await primary.query(`insert into drill_orders (note) select 'after backup ' || g from generate_series(1, 2000) g`);
    await sleep(50);
    const [target] = await primary.query<{ at: string }>(`select clock_timestamp()::text as at`);
    const [expected] = await primary.query<{ rows: number; checksum: string }>(CHECKSUM, [target!.at]);
    await sleep(50);
    await primary.query(`insert into drill_orders (note) select 'after target ' || g from generate_series(1, 500) g`);
    const [deleted] = await primary.query<{ n: number }>(
      `with gone as (delete from drill_orders where id % 2 = 0 returning 1) select count(*)::int as n from gone`,
    );
    log(`3. 2000 more rows; target time ${target!.at}; then 500 rows and the accident: ${deleted!.n} rows deleted`);

    // Push the last WAL into the archive and wait until the archiver has it.
    const [{ segment }] = (await primary.query<{ segment: string }>(`select pg_walfile_name(pg_switch_wal()) as segment`)) as [
      { segment: string },
    ];
    for (let i = 0; i < 100; i++) {
      const [state] = await primary.query<{ last: string | null }>(`select last_archived_wal as last from pg_stat_archiver`);
      if (state?.last && state.last >= segment) break;
      await sleep(100);
    }
    const archivedWalFiles = readdirSync(archive).filter((name) => /^[0-9A-F]{24}$/.test(name)).length;
    await primary.stop();
    log(`4. ${archivedWalFiles} WAL segments archived; primary stopped (it is "lost")`);

    const started = performance.now();
    const restoreParent = serverFolder('handbook-restored-');
    const restoreDir = join(restoreParent, 'data');
    // #region restore-settings
    const copy = spawnSync('cp', ['-a', backup, restoreDir], { ...ids, encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`copying the backup failed: ${copy.stderr}`);
    writeFileSync(join(restoreDir, 'recovery.signal'), '');
    if (ids.uid !== undefined) spawnSync('chown', [`${ids.uid}:${ids.gid}`, join(restoreDir, 'recovery.signal')]);
    restored = await DebianCluster.create({
      dataDir: restoreDir,
      settings: {
        archive_mode: 'off',
        restore_command: `'cp ${archive}/%f %p'`,
        recovery_target_time: `'${target!.at}'`,
        recovery_target_action: "'promote'",
      },
    });
    // #endregion restore-settings
    await restored.start(120_000);
    for (let i = 0; i < 600; i++) {
      const [state] = await restored.query<{ recovering: boolean }>('select pg_is_in_recovery() as recovering');
      if (!state?.recovering) break;
      await sleep(100);
    }
    const restoreSeconds = (performance.now() - started) / 1000;
    log(`5. restored into a fresh cluster and promoted in ${restoreSeconds.toFixed(1)} s`);

    const [actual] = await restored.query<{ rows: number; checksum: string }>(CHECKSUM, [target!.at]);
    const [after] = await restored.query<{ n: number }>(`select count(*)::int as n from drill_orders where created_at > $1::timestamptz`, [
      target!.at,
    ]);
    const [evens] = await restored.query<{ n: number }>(`select count(*)::int as n from drill_orders where id % 2 = 0`);
    log(
      `6. ${actual!.rows} rows compared; checksum ${actual!.checksum === expected!.checksum ? 'matches' : 'DIFFERS'}; ${after!.n} rows from after the target`,
    );
    return {
      date: new Date().toISOString(),
      postgres: version,
      backupBytes,
      archivedWalFiles,
      restoreSeconds: Number(restoreSeconds.toFixed(2)),
      rowsCompared: actual!.rows,
      checksumMatches: actual!.checksum === expected!.checksum && actual!.rows === expected!.rows,
      rowsAfterTarget: after!.n,
      rowsRecovered: evens!.n,
    };
  } finally {
    await restored?.destroy();
    await primary.destroy();
    spawnSync('rm', ['-rf', work]);
  }
}

export const RESTORE_DRILL_FILE = join(PROJECT_ROOT, 'site/data/restore-drill.json');

if (import.meta.main) {
  try {
    const figures = await runRestoreDrill((line) => console.log(line));
    console.table(figures);
    if (process.argv.includes('--record')) {
      mkdirSync(join(RESTORE_DRILL_FILE, '..'), { recursive: true });
      writeFileSync(RESTORE_DRILL_FILE, JSON.stringify(figures, null, 2) + '\n');
      console.log(`wrote ${RESTORE_DRILL_FILE}`);
    }
    process.exit(figures.checksumMatches && figures.rowsAfterTarget === 0 ? 0 : 1);
  } catch (error) {
    console.error(`restore drill failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
