// WAL growth: what keeps pg_wal from shrinking. PostgreSQL removes a WAL segment
// only when no replication slot still needs it and archive_command has archived it;
// an abandoned slot or a failing archive_command keeps every segment until the disk
// fills and the server stops. The write step drops one inactive slot, by name.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import { UsageError } from '../kit/args.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';
import { PROMETHEUS_FLAG, checkAlerts, prometheusUrlFrom, withAlertCheck } from '../kit/alert-check.ts';

const MIB = 1024 * 1024;

const walDirectoryAllowed: Step = {
  id: 'wal-directory-allowed',
  title: 'May this role list pg_wal?',
  why: 'pg_ls_waldir() needs pg_monitor; without it the size of pg_wal is not seen, and the report says so instead of guessing.',
  sql: `select has_function_privilege('pg_ls_waldir()', 'execute') as allowed`,
  kind: 'read',
  lookFor: 'allowed = false: GRANT pg_monitor TO <role>.',
};

const walDirectory: Step = {
  id: 'wal-directory',
  title: 'Size of pg_wal',
  why: 'The number every other step explains: how much WAL is on disk now.',
  sql: `select coalesce(sum(size), 0)::float8 as bytes, count(*)::int as files,
       pg_size_pretty(coalesce(sum(size), 0)) as pretty
from pg_ls_waldir()`,
  kind: 'read',
  lookFor: 'bytes far above max_wal_size: something holds WAL back.',
};

const walSettings: Step = {
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

const replicationSlots: Step = {
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

const archiver: Step = {
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

const dropSlot: Step = {
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

interface Slot {
  slot_name: string;
  slot_type: string;
  database: string;
  active: boolean;
  active_pid: number | null;
  wal_status: string | null;
  retained_bytes: number;
}

const mb = (bytes: number) => `${(bytes / MIB).toFixed(1)} MB`;

const base: RunbookDefinition = {
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
  validate(_session, args) {
    if (args.execute && !args.slot)
      return Promise.reject(new UsageError('--execute drops one slot: name it with --slot (see the slots listed without --execute)'));
    return Promise.resolve();
  },
  async diagnose(session, args): Promise<Diagnosis> {
    const slotLimit = (args['slot-limit-mb'] as number) * MIB;
    const walLimit = (args['wal-limit-mb'] as number) * MIB;
    const [access] = await session.read<{ allowed: boolean }>(walDirectoryAllowed);
    const [wal] = access?.allowed ? await session.read<{ bytes: number; files: number; pretty: string }>(walDirectory) : [undefined];
    const [settings] = await session.read<Record<string, string | boolean>>(walSettings);
    const slots = await session.read<Slot>(replicationSlots);
    const [arch] = await session.read<{
      archived_count: number;
      last_archived_wal: string | null;
      last_archived_time: string | null;
      failed_count: number;
      last_failed_wal: string | null;
      last_failed_time: string | null;
      failing: boolean;
    }>(archiver);
    const findings: Finding[] = [];
    const problems: string[] = [];
    const big = wal !== undefined && wal.bytes > walLimit;
    if (wal)
      findings.push({
        level: big ? 'problem' : 'ok',
        text: `pg_wal holds ${wal.files} file(s), ${mb(wal.bytes)} (limit ${mb(walLimit)}; max_wal_size ${settings!.max_wal_size}, wal_keep_size ${settings!.wal_keep_size})`,
      });
    else
      findings.push({
        level: 'unseen',
        text: `the size of pg_wal: role ${session.target.role} may not run pg_ls_waldir(); ask a DBA for GRANT pg_monitor TO ${session.target.role}`,
      });
    if (big) problems.push(`pg_wal is ${mb(wal.bytes)}`);
    const abandoned = slots.filter((slot) => !slot.active && slot.retained_bytes > slotLimit);
    for (const slot of slots) {
      const bad = abandoned.includes(slot);
      findings.push({
        level: bad ? 'problem' : 'info',
        text: `slot ${slot.slot_name} (${slot.slot_type}${slot.database ? `, database ${slot.database}` : ''}) is ${slot.active ? `active (PID ${slot.active_pid})` : 'INACTIVE'} and keeps ${mb(slot.retained_bytes)} of WAL${slot.wal_status ? ` (wal_status ${slot.wal_status})` : ''}`,
      });
    }
    if (slots.length === 0) findings.push({ level: 'ok', text: 'no replication slots' });
    for (const slot of abandoned) problems.push(`inactive slot ${slot.slot_name} keeps ${mb(slot.retained_bytes)}`);
    if (settings!.archive_mode === 'off') findings.push({ level: 'ok', text: 'archive_mode is off: archiving holds nothing back' });
    else if (arch!.failing) {
      findings.push({
        level: 'problem',
        text: `archive_command is failing: ${arch!.failed_count} failure(s), the last for ${arch!.last_failed_wal} at ${arch!.last_failed_time}; last success ${arch!.last_archived_wal ?? 'never'} at ${arch!.last_archived_time ?? '-'}; command: ${settings!.archive_command}`,
      });
      problems.push(`archive_command fails (last on ${arch!.last_failed_wal})`);
    } else
      findings.push({
        level: 'ok',
        text: `archive_command succeeds: ${arch!.archived_count} archived, last ${arch!.last_archived_wal ?? 'none yet'}${arch!.failed_count ? ` (${arch!.failed_count} earlier failure(s), since recovered)` : ''}`,
      });
    if (settings!.max_slot_wal_keep_size === '-1' && slots.length)
      findings.push({ level: 'info', text: 'max_slot_wal_keep_size is -1: a slot may keep WAL until the disk is full; consider a limit' });
    let next = 'Nothing holds WAL back.';
    if (abandoned[0])
      next = `Check that the consumer of slot ${abandoned[0].slot_name} is really gone (a replica, a CDC tool); then drop it: --execute --slot ${abandoned[0].slot_name}. Rebuild that replica from a fresh base backup afterwards.`;
    else if (arch!.failing)
      next =
        'Read the archive_command error in the server log (grep "archive command failed"); fix the destination (disk full, credentials, path) or the command, then SELECT pg_reload_conf(). The archiver retries on its own and pg_wal shrinks at the next checkpoints.';
    else if (big)
      next =
        'Nothing obvious holds WAL: check wal_keep_size and max_wal_size, and a long-running transaction or a checkpoint that cannot finish.';
    return {
      healthy: problems.length === 0,
      findings,
      summary: problems.length
        ? problems.join('; ')
        : wal
          ? `pg_wal is ${mb(wal.bytes)}; no slot or archive_command holds WAL back`
          : 'no slot or archive_command holds WAL back; the size of pg_wal was not seen',
      next,
      data: { wal, settings, slots, archiver: arch, abandoned: abandoned.map((slot) => slot.slot_name) },
    };
  },
  async remediate(session, args) {
    const name = args.slot as string;
    const dropped = await session.write<{ slot_name: string }>(dropSlot, [name]);
    if (dropped.length === 0) return { actions: [`slot ${name} does not exist or is active: nothing was dropped`], verified: false };
    return { actions: [`✓ dropped replication slot ${name}; its WAL goes at the next checkpoint (CHECKPOINT to hurry it)`] };
  },
};

export const walGrowth: RunbookDefinition = {
  ...base,
  async diagnose(session, args) {
    const diagnosis = await base.diagnose(session, args);
    return withAlertCheck(diagnosis, await checkAlerts('wal-growth', prometheusUrlFrom(args)), session.target.database);
  },
};
