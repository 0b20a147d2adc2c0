// Steps every write runbook runs before its first write. They are part of each
// runbook's step list, so the page shows them too.
import type { Step } from './definition.ts';

export const checkRecovery: Step = {
  id: 'check-recovery',
  title: 'Refuse to act on a replica',
  why: 'A standby cannot be fixed from itself; remediation belongs on the primary.',
  sql: `select pg_is_in_recovery() as in_recovery`,
  kind: 'read',
  lookFor: 'in_recovery = true means this is a replica: the runbook stops.',
};

export const checkRole: Step = {
  id: 'check-role',
  title: 'Check the role holds the grant remediation needs',
  why: 'The runbook never escalates; if a grant is missing it names it and stops.',
  sql: `select pg_has_role(current_user, $1, 'member') as granted, current_user as role`,
  params: ['the predefined role needed, e.g. pg_signal_backend'],
  kind: 'read',
  lookFor: 'granted = false: ask a DBA to GRANT that role to the runbook user.',
};

export const takeRunLock: Step = {
  id: 'take-run-lock',
  title: 'Make sure no other run of this runbook is acting',
  why: 'Two operators remediating the same incident at once would fight; a session advisory lock lets only one act.',
  sql: `select pg_try_advisory_lock(hashtext($1)) as locked`,
  params: ['runbook/<slug>'],
  kind: 'read',
  lookFor: 'locked = false: another run holds it; the second run stops at once.',
};

/**
 * Cancel or terminate one backend, re-checking in the same statement that the PID
 * still is the session we diagnosed (same backend_start and query_start), that it
 * is a client backend, and that it is not our own session.
 */
function signalStep(kind: 'cancel' | 'terminate'): Step {
  const fn = kind === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
  return {
    id: `${kind}-backend`,
    title: kind === 'cancel' ? 'Cancel the backend’s current statement' : 'Terminate the backend',
    why:
      kind === 'cancel'
        ? 'Cancelling is the gentle option: the session survives, its statement stops and its transaction rolls back.'
        : 'Terminating ends the session and rolls back its transaction; it is used when cancelling did not free anything.',
    sql: `select pid, ${fn}(pid) as signalled
from pg_stat_activity
where pid = $1
  and backend_start = $2::timestamptz
  and query_start is not distinct from $3::timestamptz
  and backend_type = 'client backend'
  and pid <> pg_backend_pid()`,
    params: ['pid', 'backend_start seen during diagnosis', 'query_start seen during diagnosis'],
    kind: 'write',
    lookFor: 'No row: the PID now belongs to another session (or finished); nothing was signalled.',
  };
}

export const cancelBackend = signalStep('cancel');
export const terminateBackend = signalStep('terminate');

export const PREFLIGHT_STEPS = [checkRecovery, checkRole, takeRunLock];
