// Connection saturation, the logic: judge usage against the limit, list the sessions idle in
// a transaction and, with --execute, terminate them. The steps and flags are runbooks/steps/connection-saturation.ts.
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { terminateBackend } from '../kit/preflight.ts';
import {
  connectionBreakdown,
  connectionSaturation as data,
  connectionUsage,
  idleInTransactionSessions,
} from '../steps/connection-saturation.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** The same limit PostgresConnectionsNearLimit fires on (monitoring/baselines.ts). */
const CONNECTION_USAGE_LIMIT = DATABASE_LIMITS.connectionsUsedRatio;

interface IdleRow {
  pid: number;
  role: string;
  application_name: string;
  client: string;
  backend_start: string;
  query_start: string | null;
  idle_seconds: number;
  xact_seconds: number;
  last_query: string;
}

interface Usage {
  used: number;
  hidden: number;
  max_connections: number;
  reserved: number;
  reserved_for_roles: number;
}

interface Group {
  datname: string;
  state: string;
  application_name: string;
  client: string;
  connections: number;
}

/** The diagnosis's data (--json `data`); remediation terminates the sessions it lists. */
interface ConnectionData {
  usage: Usage | undefined;
  groups: Group[];
  idleInTransaction: IdleRow[];
}

async function diagnose(session: Session, olderThanMs: number): Promise<Diagnosis<ConnectionData>> {
  const [usage] = await session.read<Usage>(connectionUsage);
  const groups = await session.read<Group>(connectionBreakdown);
  const idle = await session.read<IdleRow>(idleInTransactionSessions, [olderThanMs / 1000]);
  const available = usage!.max_connections - usage!.reserved - usage!.reserved_for_roles;
  // Sessions hidden from a role without pg_monitor may be clients: count them, rather than miss a saturated server.
  const share = (usage!.used + usage!.hidden) / available;
  const findings: Finding[] = [
    {
      level: share >= CONNECTION_USAGE_LIMIT ? 'problem' : 'ok',
      text: `${usage!.used + usage!.hidden} of ${available} usable connections in use (${(share * 100).toFixed(0)}%; max_connections ${usage!.max_connections}, ${usage!.reserved} reserved${usage!.reserved_for_roles ? `, ${usage!.reserved_for_roles} more for pg_use_reserved_connections` : ''}${usage!.hidden ? `; ${usage!.hidden} of them are sessions whose type this role cannot see` : ''})`,
    },
  ];
  for (const group of groups.slice(0, 8)) {
    findings.push({
      level: 'info',
      text: `${String(group.connections).padStart(4)}  ${group.datname ?? '-'} · ${group.state} · ${group.application_name || '(no application_name)'} · ${group.client}`,
    });
  }
  for (const row of idle) {
    findings.push({
      level: 'problem',
      text: `PID ${row.pid} idle in transaction for ${formatSeconds(row.idle_seconds)} (${row.application_name || row.role}, ${row.client}); last statement: ${truncate(row.last_query, 80)}`,
    });
  }
  if (idle.length === 0)
    findings.push({ level: 'ok', text: `no session idle in transaction for more than ${olderThanMs / 1000}s in this database` });
  const problems = [];
  if (share >= CONNECTION_USAGE_LIMIT) problems.push(`connections at ${(share * 100).toFixed(0)}% of the limit`);
  if (idle.length) problems.push(`${idle.length} session(s) idle in transaction (PIDs ${idle.map((r) => r.pid).join(', ')})`);
  return {
    healthy: problems.length === 0,
    findings,
    summary: problems.length ? problems.join('; ') : 'connections are within limits',
    next: idle.length
      ? 'Fix the application that leaves transactions open; to free the connections now, re-run with --execute to terminate the listed sessions.'
      : share >= CONNECTION_USAGE_LIMIT
        ? 'Find the largest group above and shrink that pool, or put PgBouncer in front; raising max_connections needs a restart.'
        : 'Nothing to do.',
    data: { usage, groups, idleInTransaction: idle },
  };
}

export const connectionSaturation = defineRunbook(data, {
  diagnose: (session, args) => diagnose(session, args['older-than']),
  async remediate(session, args, diagnosis) {
    const actions: string[] = [];
    const cap = args['max-signals'];
    const idle = diagnosis.data.idleInTransaction;
    for (const row of idle.slice(0, cap)) {
      const done = await session.write(terminateBackend, [row.pid, row.backend_start, row.query_start]);
      actions.push(
        done.length
          ? `✓ terminated PID ${row.pid} (idle in transaction ${formatSeconds(row.idle_seconds)})`
          : `PID ${row.pid} changed since diagnosis; left alone`,
      );
    }
    if (idle.length > cap) actions.push(`stopped at --max-signals ${cap}; ${idle.length - cap} session(s) left, re-run to continue`);
    // Give the postmaster a moment to reap the terminated backends before verifying.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { actions };
  },
});
