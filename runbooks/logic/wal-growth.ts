// WAL growth, the logic: size pg_wal, name the slot or the archive_command that holds WAL
// back and, with --execute --slot, drop that inactive slot. The steps and flags are
// runbooks/steps/wal-growth.ts.
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import { UsageError } from '../kit/args.ts';
import type { Session } from '../kit/session.ts';
import { checkAlerts, prometheusUrlFrom, withAlertCheck } from '../kit/alert-check.ts';
import {
  MIB,
  archiver,
  dropSlot,
  replicationSlots,
  walDirectory,
  walDirectoryAllowed,
  walGrowth as data,
  walSettings,
} from '../steps/wal-growth.ts';

const NEEDS_SLOT = '--execute drops one slot: name it with --slot (see the slots listed without --execute)';

interface Slot {
  slot_name: string;
  slot_type: string;
  database: string;
  active: boolean;
  active_pid: number | null;
  wal_status: string | null;
  retained_bytes: number;
}

interface WalDirectory {
  bytes: number;
  files: number;
  pretty: string;
}

interface Archiver {
  archived_count: number;
  last_archived_wal: string | null;
  last_archived_time: string | null;
  failed_count: number;
  last_failed_wal: string | null;
  last_failed_time: string | null;
  failing: boolean;
}

/** The diagnosis's data (--json `data`); `wal` is missing when the role may not list pg_wal. */
interface WalData {
  wal: WalDirectory | undefined;
  settings: Record<string, string | boolean> | undefined;
  slots: Slot[];
  archiver: Archiver | undefined;
  abandoned: string[];
}

const mb = (bytes: number) => `${(bytes / MIB).toFixed(1)} MB`;

/** What keeps pg_wal from shrinking, judged against the two limits. */
async function diagnoseWal(session: Session, slotLimitMb: number, walLimitMb: number): Promise<Diagnosis<WalData>> {
  const slotLimit = slotLimitMb * MIB;
  const walLimit = walLimitMb * MIB;
  const [access] = await session.read<{ allowed: boolean }>(walDirectoryAllowed);
  const [wal] = access?.allowed ? await session.read<WalDirectory>(walDirectory) : [undefined];
  const [settings] = await session.read<Record<string, string | boolean>>(walSettings);
  const slots = await session.read<Slot>(replicationSlots);
  const [arch] = await session.read<Archiver>(archiver);
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
}

export const walGrowth = defineRunbook(data, {
  validate(_session, args) {
    if (args.execute && !args.slot) return Promise.reject(new UsageError(NEEDS_SLOT));
    return Promise.resolve();
  },
  async diagnose(session, args) {
    const diagnosis = await diagnoseWal(session, args['slot-limit-mb'], args['wal-limit-mb']);
    return withAlertCheck(diagnosis, await checkAlerts('wal-growth', prometheusUrlFrom(args)), session.target.database);
  },
  async remediate(session, args) {
    const name = args.slot;
    if (name === undefined) throw new UsageError(NEEDS_SLOT);
    const dropped = await session.write<{ slot_name: string }>(dropSlot, [name]);
    if (dropped.length === 0) return { actions: [`slot ${name} does not exist or is active: nothing was dropped`], verified: false };
    return { actions: [`✓ dropped replication slot ${name}; its WAL goes at the next checkpoint (CHECKPOINT to hurry it)`] };
  },
});
