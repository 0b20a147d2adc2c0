// PostgreSQL alerts on write-ahead log that piles up: replication slots nobody reads,
// a failing archive_command, and pg_wal itself.
import { DATABASE_LIMITS as L } from '../baselines.ts';
import { DB_INSTANCE, db, timeScale, type AlertRule } from './shared.ts';

/** The WAL alerts at `scale` (see alertRules in ../alert-rules.ts). */
export function postgresWalAlerts(scale: number): AlertRule[] {
  const { m, seconds } = timeScale(scale);
  return [
    {
      name: 'PostgresReplicationSlotRetainingWal',
      group: 'postgresql',
      severity: 'SEV2',
      // pg_replication_slot_* come from the handbook's queries file.
      expr: `max by (instance, slot_name) (pg_replication_slot_retained_bytes) > ${L.slotRetainedWalBytes} and on (instance, slot_name) max by (instance, slot_name) (pg_replication_slot_active) == 0`,
      panel: {
        title: `WAL kept by each replication slot (alert above ${L.slotRetainedWalBytes / 1024 ** 2} MB while inactive)`,
        expr: 'max by (instance, slot_name) (pg_replication_slot_retained_bytes)',
        legend: '{{slot_name}}',
        unit: 'short',
        threshold: L.slotRetainedWalBytes,
        healthyWhen: 'below',
        meaning: 'Bytes of WAL each replication slot keeps on disk because its consumer has not confirmed them.',
      },
      for: m(5),
      summary: 'Inactive replication slot {{ $labels.slot_name }} on {{ $labels.instance }} is keeping WAL',
      description:
        `Nobody has read from slot {{ $labels.slot_name }} for 5 minutes and it keeps more than ${L.slotRetainedWalBytes / 1024 ** 2} MB of WAL, which grows until the disk is full and PostgreSQL stops. ` +
        'The wal-growth runbook shows every slot and drops an abandoned one on request.',
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires on an inactive slot keeping 3 GB',
          evalMinutes: 10,
          fires: { ...DB_INSTANCE, slot_name: 'replica_2' },
          series: [
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="replica_2",slot_type="physical"}`, values: '3000000000x15' },
            { series: `pg_replication_slot_active{${db},slot_name="replica_2",slot_type="physical"}`, values: '0x15' },
          ],
        },
        {
          name: 'stays silent on an active slot that lags, and on an inactive slot keeping little',
          evalMinutes: 10,
          series: [
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="replica_1",slot_type="physical"}`, values: '3000000000x15' },
            { series: `pg_replication_slot_active{${db},slot_name="replica_1",slot_type="physical"}`, values: '1x15' },
            { series: `pg_replication_slot_retained_bytes{${db},slot_name="spare",slot_type="physical"}`, values: '0x15' },
            { series: `pg_replication_slot_active{${db},slot_name="spare",slot_type="physical"}`, values: '0x15' },
          ],
        },
      ],
    },
    {
      name: 'PostgresArchiveFailing',
      group: 'postgresql',
      severity: 'SEV2',
      expr: `sum by (instance) (increase(pg_stat_archiver_failed_count[${m(10)}])) > 0 and on (instance) max by (instance) (pg_stat_archiver_last_archive_age) > ${seconds(600)}`,
      panel: {
        title: 'archive_command failures in the last 10 minutes (alert above 0 with no success in 10 minutes)',
        expr: `sum by (instance) (increase(pg_stat_archiver_failed_count[${m(10)}]))`,
        legend: '{{instance}}',
        unit: 'short',
        threshold: 0,
        healthyWhen: 'below',
        meaning: 'How often archive_command failed; every failed segment stays in pg_wal until it succeeds.',
      },
      for: m(5),
      summary: 'archive_command keeps failing on {{ $labels.instance }}',
      description:
        'archive_command has failed and nothing was archived for 10 minutes: WAL piles up in pg_wal, and point-in-time recovery past the last archived segment is impossible. ' +
        "The wal-growth runbook names the failing segment; the server log has the command's error.",
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: 'whether the failures went on for 5 minutes; SQL sees the last failure and the last success',
      cases: [
        {
          name: 'fires when archiving fails every minute and the last success is old',
          evalMinutes: 20,
          fires: DB_INSTANCE,
          series: [
            { series: `pg_stat_archiver_failed_count{${db}}`, values: '0+3x30' },
            { series: `pg_stat_archiver_last_archive_age{${db}}`, values: '0+60x30' },
          ],
        },
        {
          name: 'stays silent after one failure that the next attempt fixed',
          evalMinutes: 20,
          series: [
            { series: `pg_stat_archiver_failed_count{${db}}`, values: '0x10 1x20' },
            { series: `pg_stat_archiver_last_archive_age{${db}}`, values: '30x30' },
          ],
        },
      ],
    },
    {
      name: 'PostgresWalDirectoryLarge',
      group: 'postgresql',
      severity: 'SEV3',
      expr: `max by (instance) (pg_wal_directory_bytes) > ${L.walDirectoryBytes}`,
      panel: {
        title: `Size of pg_wal (alert above ${L.walDirectoryBytes / 1024 ** 3} GB)`,
        expr: 'max by (instance) (pg_wal_directory_bytes)',
        legend: '{{instance}}',
        unit: 'short',
        threshold: L.walDirectoryBytes,
        healthyWhen: 'below',
        meaning: 'Bytes of WAL on disk; it should stay near max_wal_size.',
      },
      for: m(10),
      summary: 'pg_wal on {{ $labels.instance }} is larger than it should be',
      description:
        `pg_wal has held more than ${L.walDirectoryBytes / 1024 ** 3} GB for 10 minutes: a replication slot or archive_command is keeping WAL, and the disk will fill. ` +
        'The wal-growth runbook says which.',
      runbook: '/runbooks/wal-growth/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires at 6 GB of WAL',
          evalMinutes: 20,
          fires: DB_INSTANCE,
          series: [{ series: `pg_wal_directory_bytes{${db}}`, values: '6000000000x30' }],
        },
        { name: 'stays silent at 1 GB', evalMinutes: 20, series: [{ series: `pg_wal_directory_bytes{${db}}`, values: '1000000000x30' }] },
      ],
    },
  ];
}
