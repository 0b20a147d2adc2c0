// Connection saturation: usage against max_connections by state, application and
// client; idle-in-transaction sessions flagged; the write step terminates the old ones.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/connection-saturation.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PREFLIGHT_STEPS, terminateBackend } from '../kit/preflight.ts';

export const connectionUsage: Step = {
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

export const connectionBreakdown: Step = {
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

export const idleInTransactionSessions: Step = {
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

export const connectionSaturation = defineRunbookData({
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
});
