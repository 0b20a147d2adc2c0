// Error spike: deadlocks, rollbacks, recovery conflicts and temp files from
// pg_stat_database, as the change over a sampling window, not lifetime totals.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';

/** Rollbacks above this share of transactions in the window are a problem (with at least ROLLBACK_MINIMUM of them). */
export const ROLLBACK_SHARE_LIMIT = 0.05;
export const ROLLBACK_MINIMUM = 5;

export const sampleCounters: Step = {
  id: 'sample-counters',
  title: 'Read the error counters of this database (taken twice, a window apart)',
  why: 'Lifetime totals hide a spike; the difference between two samples shows what happened during the window.',
  sql: `select xact_commit, xact_rollback, deadlocks, conflicts, temp_files, temp_bytes,
       clock_timestamp()::text as sampled_at
from pg_stat_database
where datname = current_database()`,
  kind: 'read',
  lookFor: 'deadlocks or conflicts going up, or rollbacks becoming a large share of transactions.',
};

interface Sample {
  xact_commit: number;
  xact_rollback: number;
  deadlocks: number;
  conflicts: number;
  temp_files: number;
  temp_bytes: number;
  sampled_at: string;
}

export async function diagnoseErrors(session: Session, windowMs: number): Promise<Diagnosis> {
  const [first] = await session.read<Sample>(sampleCounters);
  await session.wait(windowMs);
  const [second] = await session.read<Sample>(sampleCounters);
  const delta = Object.fromEntries(
    (['xact_commit', 'xact_rollback', 'deadlocks', 'conflicts', 'temp_files', 'temp_bytes'] as const).map((key) => [key, Number(second![key]) - Number(first![key])]),
  ) as Record<keyof Omit<Sample, 'sampled_at'>, number>;
  const transactions = delta.xact_commit + delta.xact_rollback;
  const rollbackShare = transactions ? delta.xact_rollback / transactions : 0;
  const window = `${windowMs / 1000}s`;
  const db = session.target.database;
  const problems: string[] = [];
  const findings: Finding[] = [];
  findings.push({ level: delta.deadlocks > 0 ? 'problem' : 'ok', text: `${delta.deadlocks} deadlock(s) in database ${db} during the last ${window}` });
  if (delta.deadlocks > 0) problems.push(`${delta.deadlocks} deadlock(s) in ${db}`);
  const rollbackProblem = delta.xact_rollback >= ROLLBACK_MINIMUM && rollbackShare > ROLLBACK_SHARE_LIMIT;
  findings.push({ level: rollbackProblem ? 'problem' : 'ok', text: `${delta.xact_rollback} rollback(s) of ${transactions} transaction(s) (${(rollbackShare * 100).toFixed(1)}%)` });
  if (rollbackProblem) problems.push(`${(rollbackShare * 100).toFixed(0)}% of transactions rolled back`);
  findings.push({ level: delta.conflicts > 0 ? 'problem' : 'ok', text: `${delta.conflicts} recovery conflict(s) (queries cancelled on a replica)` });
  if (delta.conflicts > 0) problems.push(`${delta.conflicts} recovery conflict(s)`);
  findings.push({ level: 'info', text: `${delta.temp_files} temp file(s), ${(delta.temp_bytes / 1_048_576).toFixed(1)} MB spilled to disk (work_mem too small for a sort or hash)` });
  return {
    healthy: problems.length === 0,
    findings,
    summary: problems.length ? `${problems.join('; ')} during ${window}` : `no deadlocks, conflicts or rollback spike during ${window}`,
    next:
      delta.deadlocks > 0
        ? 'Find "deadlock detected" in the PostgreSQL log: it names both PIDs and statements. Make the code lock rows in one order (e.g. ORDER BY id ... FOR UPDATE). If errors started with a release, see the rollback runbook.'
        : problems.length
          ? 'Check the application logs for the failing requests; if the spike started with a release, follow the rollback runbook.'
          : 'Nothing to do.',
    data: { windowMs, delta, first, second },
  };
}

export const errorSpike: RunbookDefinition = {
  slug: 'error-spike',
  title: 'Error spike',
  purpose: 'Samples deadlocks, rollbacks, recovery conflicts and temp files of this database twice, --window apart, and reports the change. It never changes anything.',
  flags: [{ name: 'window', type: 'duration', default: '1s', description: 'How long to watch the counters; use 60s for a steadier rollback rate.' }],
  steps: [sampleCounters],
  diagnose: (session, args) => diagnoseErrors(session, args.window as number),
};
