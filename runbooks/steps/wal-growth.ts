// WAL growth: what keeps pg_wal from shrinking. PostgreSQL removes a WAL segment
// only when no replication slot still needs it and archive_command has archived it;
// an abandoned slot or a failing archive_command keeps every segment until the disk
// fills and the server stops. The write step drops one inactive slot, by name.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/wal-growth.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PROMETHEUS_FLAG } from '../kit/contract.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

export const MIB = 1024 * 1024;

export const walDirectoryAllowed: Step = {
  id: 'wal-directory-allowed',
  title: 'May this role list pg_wal?',
  why: 'pg_ls_waldir() needs pg_monitor; without it the size of pg_wal is not seen, and the report says so instead of guessing.',
  sql: `select has_function_privilege('pg_ls_waldir()', 'execute') as allowed`,
  kind: 'read',
  lookFor: 'allowed = false: GRANT pg_monitor TO <role>.',
};

export const walDirectory: Step = {
  id: 'wal-directory',
  title: 'Size of pg_wal',
  why: 'The number every other step explains: how much WAL is on disk now.',
  sql: `select coalesce(sum(size), 0)::float8 as bytes, count(*)::int as files,
       pg_size_pretty(coalesce(sum(size), 0)) as pretty
from pg_ls_waldir()`,
  kind: 'read',
  lookFor: 'bytes far above max_wal_size: something holds WAL back.',
};

export const walSettings: Step = {
  id: 'wal-settings',
  title: 'The settings that decide how much WAL is kept',
  why: 'max_wal_size and wal_keep_size keep WAL on purpose; archive_mode and archive_command decide whether a segment may go.',
  sql: `select current_setting('max_wal_size') as max_wal_size, current_setting('wal_keep_size') as wal_keep_size,
       current_setting('max_slot_wal_keep_size') as max_slot_wal_keep_size,
       current_setting('archive_mode') as archive_mode, current_setting('archive_command') as archive_command,
       pg_is_in_recovery() as in_recovery`,
  kind: 'read',
  lookFor: 'max_slot_wal_keep_size = -1 means a slot may keep WAL without limit.',
};

export const replicationSlots: Step = {
  id: 'replication-slots',
  title: 'Replication slots and the WAL each one keeps',
  why: 'A slot keeps every segment its consumer has not confirmed; a slot whose replica or subscriber is gone keeps them forever.',
  sql: `select slot_name, slot_type, coalesce(database, '') as database, active, active_pid, wal_status,
       coalesce(pg_wal_lsn_diff(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end, restart_lsn), 0)::float8 as retained_bytes
from pg_replication_slots
order by retained_bytes desc`,
  kind: 'read',
  lookFor: 'active = false with a large retained_bytes: an abandoned slot.',
};

export const archiver: Step = {
  id: 'archiver',
  title: 'Is archive_command succeeding?',
  why: 'With archive_mode on, a segment is removed only after archive_command succeeded for it; a failing command keeps all of them.',
  sql: `select archived_count, last_archived_wal, last_archived_time::text as last_archived_time,
       failed_count, last_failed_wal, last_failed_time::text as last_failed_time,
       coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false) as failing
from pg_stat_archiver`,
  kind: 'read',
  lookFor: "failing = true: the last attempt failed; the server log has the command's error output.",
};

export const dropSlot: Step = {
  id: 'drop-slot',
  title: 'Drop the inactive replication slot named by --slot',
  why: 'Dropping the slot lets the next checkpoint remove the WAL it kept. Its replica or subscriber must be rebuilt afterwards: only drop a slot whose consumer is gone for good.',
  sql: `select pg_drop_replication_slot(slot_name), slot_name
from pg_replication_slots
where slot_name = $1 and not active`,
  params: ['--slot'],
  kind: 'write',
  lookFor: 'One row: dropped. No row: the slot does not exist or is active again (nothing was dropped).',
};

export const walGrowth = defineRunbookData({
  slug: 'wal-growth',
  title: 'WAL growth',
  purpose:
    'Shows the size of pg_wal and what keeps it from shrinking: replication slots whose consumer is gone, and a failing archive_command. With --execute --slot <name>, drops one inactive slot. With --prometheus-url it evaluates the WAL alerts as Prometheus does.',
  flags: [
    {
      name: 'slot-limit-mb',
      type: 'count',
      default: String(DATABASE_LIMITS.slotRetainedWalBytes / MIB),
      description: 'An inactive slot keeping more WAL than this is a problem (the PostgresReplicationSlotRetainingWal limit).',
    },
    {
      name: 'wal-limit-mb',
      type: 'count',
      default: String(DATABASE_LIMITS.walDirectoryBytes / MIB),
      description: 'pg_wal larger than this is a problem (the PostgresWalDirectoryLarge limit).',
    },
    { name: 'slot', type: 'identifier', description: 'The inactive slot to drop with --execute.' },
    PROMETHEUS_FLAG,
  ],
  steps: [walDirectoryAllowed, walDirectory, walSettings, replicationSlots, archiver, dropSlot],
});
