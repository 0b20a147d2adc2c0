// Lock contention, the logic: find the root blockers and, with --execute, cancel and then
// terminate them. The steps and flags are runbooks/steps/lock-contention.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { cancelBackend, terminateBackend } from '../kit/preflight.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';
import { checkAlerts, prometheusUrlFrom, withAlertCheck } from '../kit/alert-check.ts';
import { blockingSessions, lockContention as data, oldTransactions, stillBlocking } from '../steps/lock-contention.ts';

interface Row {
  pid: number;
  backend_type: string;
  role: string;
  application_name: string;
  client: string | null;
  state: string | null;
  backend_start: string;
  query_start: string | null;
  xact_seconds: number | null;
  query_seconds: number | null;
  lock_wait_seconds: number | null;
  wait_event_type: string | null;
  blocked_by: number[];
  query: string;
}

interface Root extends Row {
  waiters: number[];
  longestWaitSeconds: number;
}

function roots(rows: Row[]): Root[] {
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  const result: Root[] = [];
  for (const row of rows) {
    const waiters = rows.filter((other) => other.blocked_by.includes(row.pid));
    // A root blocks someone and is not itself waiting on anyone we can see.
    if (waiters.length === 0 || row.blocked_by.some((pid) => byPid.has(pid))) continue;
    const all = new Set<number>();
    const visit = (pid: number) =>
      rows.filter((r) => r.blocked_by.includes(pid) && !all.has(r.pid)).forEach((r) => (all.add(r.pid), visit(r.pid)));
    visit(row.pid);
    // The wait as PostgresLockWaits measures it (pg_locks.waitstart); the statement's age when unknown.
    const longest = Math.max(...rows.filter((r) => all.has(r.pid)).map((r) => r.lock_wait_seconds ?? r.query_seconds ?? 0));
    result.push({ ...row, waiters: [...all], longestWaitSeconds: longest });
  }
  return result.sort((a, b) => b.longestWaitSeconds - a.longestWaitSeconds);
}

interface OldTransaction {
  pid: number;
  role: string;
  application_name: string;
  state: string | null;
  xact_seconds: number;
  query: string;
}

/** The diagnosis's data (--json `data`); remediation signals the roots it lists. */
interface LockData {
  roots: Root[];
  sessions: Row[];
  oldTransactions: OldTransaction[];
}

async function diagnoseLocks(
  session: Session,
  minWaitMs: number,
  txOlderThanMs = DATABASE_LIMITS.longTransactionSeconds * 1000,
): Promise<Diagnosis<LockData>> {
  const rows = await session.read<Row>(blockingSessions);
  const found = roots(rows).filter((root) => root.longestWaitSeconds * 1000 >= minWaitMs);
  const old = (await session.read<OldTransaction>(oldTransactions, [txOlderThanMs / 1000])).filter(
    (tx) => !found.some((root) => root.pid === tx.pid),
  );
  const findings: Finding[] = [];
  for (const root of found) {
    findings.push({
      level: 'problem',
      text: `PID ${root.pid} (${root.role}, ${root.application_name || 'no application_name'}, ${root.state}, transaction open ${formatSeconds(root.xact_seconds)}) blocks ${root.waiters.length} session(s) for up to ${formatSeconds(root.longestWaitSeconds)}: ${truncate(root.query)}`,
    });
    for (const waiter of rows.filter((row) => root.waiters.includes(row.pid))) {
      findings.push({
        level: 'info',
        text: `  └ PID ${waiter.pid} waits ${formatSeconds(waiter.lock_wait_seconds ?? waiter.query_seconds)} on ${waiter.blocked_by.join(', ')}: ${truncate(waiter.query, 100)}`,
      });
    }
  }
  if (found.length === 0)
    findings.push({ level: 'ok', text: `no session has waited on a lock for ${minWaitMs / 1000}s or more in this database` });
  for (const tx of old) {
    findings.push({
      level: 'problem',
      text: `PID ${tx.pid} (${tx.role}, ${tx.application_name || 'no application_name'}, ${tx.state}) has had a transaction open for ${formatSeconds(tx.xact_seconds)}, blocking nobody yet: ${truncate(tx.query)}`,
    });
  }
  if (old.length === 0)
    findings.push({ level: 'ok', text: `no transaction has been open for ${txOlderThanMs / 1000}s or more in this database` });
  const first = found[0];
  const oldest = old[0];
  let next = 'Nothing to do.';
  if (first)
    next = `Ask the owner of PID ${first.pid} (${first.application_name || first.role}) to commit or roll back; if they cannot, re-run with --execute to cancel, then terminate, PID ${first.pid}.`;
  else if (oldest)
    next = `Ask the owner of PID ${oldest.pid} (${oldest.application_name || oldest.role}) to commit or roll back. This runbook only signals sessions that block others; an idle-in-transaction session can be ended with the connection-saturation runbook.`;
  const summaries = [
    first ? `${found.length} root blocker(s); worst is PID ${first.pid}` : '',
    oldest ? `${old.length} transaction(s) open too long; oldest is PID ${oldest.pid}` : '',
  ].filter(Boolean);
  return {
    healthy: found.length === 0 && old.length === 0,
    findings,
    summary: summaries.length ? summaries.join('; ') : 'no lock contention',
    next,
    data: { roots: found, sessions: rows, oldTransactions: old },
  };
}

export const lockContention = defineRunbook(data, {
  async diagnose(session, args) {
    const diagnosis = await diagnoseLocks(session, args['min-wait'], args['tx-older-than']);
    return withAlertCheck(diagnosis, await checkAlerts('lock-contention', prometheusUrlFrom(args)), session.target.database);
  },
  async remediate(session, args, diagnosis) {
    const actions: string[] = [];
    const cap = args['max-signals'];
    let touched = 0;
    for (const root of diagnosis.data.roots) {
      if (touched >= cap) {
        actions.push(`stopped at --max-signals ${cap}; re-run to continue`);
        break;
      }
      if (root.backend_type !== 'client backend') {
        actions.push(`skipped PID ${root.pid}: it is a ${root.backend_type}, not a client backend`);
        continue;
      }
      touched++;
      const params = [root.pid, root.backend_start, root.query_start];
      const cancelled = await session.write(cancelBackend, params);
      if (cancelled.length === 0) {
        actions.push(`PID ${root.pid} is no longer the session we diagnosed; left alone`);
        continue;
      }
      actions.push(`✓ cancelled the statement of PID ${root.pid}`);
      let waiting = 1;
      for (let i = 0; i < 10 && waiting > 0; i++) {
        await sleep(200);
        waiting = (await session.read<{ waiting: number }>(stillBlocking, [root.pid]))[0]?.waiting ?? 0;
      }
      if (waiting === 0) continue;
      const terminated = await session.write(terminateBackend, params);
      actions.push(
        terminated.length
          ? `✓ terminated PID ${root.pid} (cancelling did not free the lock)`
          : `PID ${root.pid} changed before terminate; left alone`,
      );
      await sleep(200);
    }
    return { actions };
  },
});
