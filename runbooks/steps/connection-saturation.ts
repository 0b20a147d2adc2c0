// Connection saturation: usage against max_connections by state, application and
// client; idle-in-transaction sessions flagged; the write step terminates the old ones.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { PREFLIGHT_STEPS, terminateBackend } from '../kit/preflight.ts';

import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** The same limit PostgresConnectionsNearLimit fires on (monitoring/baselines.ts). */
const CONNECTION_USAGE_LIMIT = DATABASE_LIMITS.connectionsUsedRatio;

const connectionUsage: Step = {
  id: 'connection-usage',
  title: 'Compare open connections with max_connections',
  why: 'New connections of ordinary roles fail once the server reaches max_connections minus the slots reserved for superusers (superuser_reserved_connections) and, on PostgreSQL 16+, for pg_use_reserved_connections (reserved_connections).',
  sql: `select count(*) filter (where backend_type = 'client backend')::int as used,
       count(*) filter (where backend_type is null)::int as hidden,
       current_setting('max_connections')::int as max_connections,
       current_setting('superuser_reserved_connections')::int as reserved,
       coalesce(current_setting('reserved_connections', true)::int, 0) as reserved_for_roles
from pg_stat_activity`,
  kind: 'read',
  lookFor:
    'used close to max_connections - reserved: the next connections will be refused. hidden > 0: sessions whose type this role cannot see (no pg_monitor), counted as possible clients.',
};

const connectionBreakdown: Step = {
  id: 'connection-breakdown',
  title: 'Break connections down by database, state, application and client',
  why: 'The biggest group usually points at the pool or service that leaks or over-allocates connections.',
  sql: `select datname, coalesce(state, 'unknown') as state, application_name, coalesce(client_addr::text, 'local') as client,
       count(*)::int as connections
from pg_stat_activity
where backend_type = 'client backend'
group by 1, 2, 3, 4
order by connections desc
limit 20`,
  kind: 'read',
  lookFor: 'One application or client holding most connections, or many "idle in transaction".',
};

const idleInTransactionSessions: Step = {
  id: 'idle-in-transaction',
  title: 'List sessions idle inside a transaction for longer than the threshold',
  why: 'An idle transaction holds its connection, its locks and the xmin horizon, and does nothing with them.',
  sql: `select pid, usename as role, application_name, coalesce(client_addr::text, 'local') as client,
       backend_start::text as backend_start, query_start::text as query_start,
       extract(epoch from now() - state_change)::float8 as idle_seconds,
       extract(epoch from now() - xact_start)::float8 as xact_seconds,
       left(query, 300) as last_query
from pg_stat_activity
where state in ('idle in transaction', 'idle in transaction (aborted)')
  and backend_type = 'client backend'
  and datname = current_database()
  and pid <> pg_backend_pid()
  and now() - state_change > make_interval(secs => $1)
order by state_change
limit 100`,
  params: ['threshold in seconds (--older-than)'],
  kind: 'read',
  lookFor: 'Each row is a session to fix in its application; the write step terminates them.',
};

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

async function diagnose(session: Session, olderThanMs: number): Promise<Diagnosis> {
  const [usage] = await session.read<{
    used: number;
    hidden: number;
    max_connections: number;
    reserved: number;
    reserved_for_roles: number;
  }>(connectionUsage);
  const groups = await session.read<{ datname: string; state: string; application_name: string; client: string; connections: number }>(
    connectionBreakdown,
  );
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

export const connectionSaturation: RunbookDefinition = {
  slug: 'connection-saturation',
  title: 'Connection saturation',
  purpose:
    'Shows how many connections are in use against max_connections, grouped by database, state, application and client, and flags sessions idle in a transaction. With --execute, terminates the idle-in-transaction sessions older than --older-than.',
  flags: [
    {
      name: 'older-than',
      type: 'duration',
      default: '30s',
      description: 'Flag (and with --execute, terminate) sessions idle in transaction this long.',
    },
    { name: 'max-signals', type: 'count', default: '10', description: 'The most sessions one run may terminate.' },
  ],
  steps: [connectionUsage, connectionBreakdown, idleInTransactionSessions, ...PREFLIGHT_STEPS, terminateBackend],
  writeRoles: ['pg_signal_backend'],
  needs: ['other-sessions'],
  detectsSaturation: true,
  diagnose: (session, args) => diagnose(session, args['older-than'] as number),
  async remediate(session, args, diagnosis) {
    const actions: string[] = [];
    const cap = args['max-signals'] as number;
    const idle = diagnosis.data.idleInTransaction as IdleRow[];
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
};
