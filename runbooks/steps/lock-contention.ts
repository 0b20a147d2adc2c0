// Lock contention: who blocks whom (pg_blocking_pids), for how long, with which
// statement; the write step cancels, then terminates, the root blocker.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { PREFLIGHT_STEPS, cancelBackend, terminateBackend } from '../kit/preflight.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';
import { PROMETHEUS_FLAG, checkAlerts, prometheusUrlFrom, withAlertCheck } from '../kit/alert-check.ts';

export const blockingSessions: Step = {
  id: 'blocking-sessions',
  title: 'List sessions that wait for a lock and the sessions they wait for',
  why: 'pg_blocking_pids() tells, for each waiting session, exactly which PIDs hold the lock it needs.',
  sql: `select a.pid, a.backend_type, a.usename as role, a.application_name, a.client_addr::text as client,
       a.state, a.backend_start::text as backend_start, a.query_start::text as query_start,
       extract(epoch from now() - a.xact_start)::float8 as xact_seconds,
       extract(epoch from now() - a.query_start)::float8 as query_seconds,
       (select extract(epoch from now() - min(l.waitstart)) from pg_locks l
         where l.pid = a.pid and not l.granted)::float8 as lock_wait_seconds,
       a.wait_event_type, pg_blocking_pids(a.pid) as blocked_by,
       left(a.query, 300) as query
from pg_stat_activity a
where a.datname = current_database()
  and a.pid <> pg_backend_pid()
  and (cardinality(pg_blocking_pids(a.pid)) > 0
       or a.pid in (select unnest(pg_blocking_pids(w.pid)) from pg_stat_activity w where w.datname = current_database()))
order by a.xact_start nulls last
limit 100`,
  kind: 'read',
  lookFor:
    'Rows with an empty blocked_by that others list in theirs are the root blockers; state "idle in transaction" means the holder is doing nothing but holding the lock. lock_wait_seconds is what PostgresLockWaits measures (pg_locks.waitstart).',
};

const oldTransactions: Step = {
  id: 'old-transactions',
  title: 'List transactions open longer than --tx-older-than',
  why: 'The PostgresLongRunningTransaction alert fires on the oldest open transaction even when it blocks nobody yet; it still holds its locks and keeps VACUUM from removing dead rows.',
  sql: `select a.pid, a.usename as role, a.application_name, a.state,
       extract(epoch from now() - a.xact_start)::float8 as xact_seconds,
       left(a.query, 300) as query
from pg_stat_activity a
where a.datname = current_database()
  and a.pid <> pg_backend_pid()
  and a.backend_type = 'client backend'
  and a.xact_start < now() - make_interval(secs => $1)
order by a.xact_start
limit 20`,
  params: ['--tx-older-than, in seconds'],
  kind: 'read',
  lookFor:
    'Each row is a transaction older than the limit: its owner (application_name, role) should commit or roll back. State "idle in transaction" means it is doing nothing.',
};

const stillBlocking: Step = {
  id: 'still-blocking',
  title: 'Count the sessions still waiting on the root blocker',
  why: 'After a cancel, the runbook checks whether anyone still waits before it escalates to terminate.',
  sql: `select count(*)::int as waiting from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`,
  params: ['pid of the root blocker'],
  kind: 'read',
  lookFor: 'waiting = 0 means the lock is free.',
};

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

async function diagnoseLocks(
  session: import('../kit/session.ts').Session,
  minWaitMs: number,
  txOlderThanMs = DATABASE_LIMITS.longTransactionSeconds * 1000,
): Promise<Diagnosis> {
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

export const lockContention: RunbookDefinition = {
  slug: 'lock-contention',
  title: 'Lock contention',
  purpose:
    'Shows the blocking tree of this database: which session holds the lock others wait for, for how long, and with which statement. With --execute, cancels and then if needed terminates the root blocker.',
  flags: [
    {
      name: 'min-wait',
      type: 'duration',
      default: `${DATABASE_LIMITS.lockWaitSeconds}s`,
      description: 'Report a blocker once someone has waited on it this long (the PostgresLockWaits threshold).',
    },
    {
      name: 'tx-older-than',
      type: 'duration',
      default: `${DATABASE_LIMITS.longTransactionSeconds}s`,
      description: 'Report any transaction open this long, even one that blocks nobody (the PostgresLongRunningTransaction threshold).',
    },
    { name: 'max-signals', type: 'count', default: '3', description: 'The most backends one run may cancel or terminate.' },
    PROMETHEUS_FLAG,
  ],
  steps: [blockingSessions, oldTransactions, ...PREFLIGHT_STEPS, cancelBackend, stillBlocking, terminateBackend],
  writeRoles: ['pg_signal_backend'],
  needs: ['other-sessions'],
  async diagnose(session, args) {
    const diagnosis = await diagnoseLocks(session, args['min-wait'] as number, args['tx-older-than'] as number);
    return withAlertCheck(diagnosis, await checkAlerts('lock-contention', prometheusUrlFrom(args)), session.target.database);
  },
  async remediate(session, args, diagnosis) {
    const actions: string[] = [];
    const cap = args['max-signals'] as number;
    let touched = 0;
    for (const root of diagnosis.data.roots as Root[]) {
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
};
