// Lock contention: who blocks whom (pg_blocking_pids), for how long, with which
// statement; the write step cancels, then terminates, the root blocker.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/lock-contention.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PROMETHEUS_FLAG } from '../kit/contract.ts';
import { PREFLIGHT_STEPS, cancelBackend, terminateBackend } from '../kit/preflight.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

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

export const oldTransactions: Step = {
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

export const stillBlocking: Step = {
  id: 'still-blocking',
  title: 'Count the sessions still waiting on the root blocker',
  why: 'After a cancel, the runbook checks whether anyone still waits before it escalates to terminate.',
  sql: `select count(*)::int as waiting from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`,
  params: ['pid of the root blocker'],
  kind: 'read',
  lookFor: 'waiting = 0 means the lock is free.',
};

export const lockContention = defineRunbookData({
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
});
