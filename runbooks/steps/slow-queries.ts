// Slow queries: pg_stat_statements ranked by mean and max time against the query
// baseline (StorefrontSlowQueries' threshold), judged on what ran during a short
// sampling window; the statements running right now for too long; and EXPLAIN
// (never ANALYZE) on request.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/slow-queries.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PROMETHEUS_FLAG } from '../kit/contract.ts';
import { baseline } from '../../monitoring/baselines.ts';

/** StorefrontSlowQueries fires when the service's p95 query time passes this (monitoring/baselines.ts). */
export const QUERY_LIMIT_MS = baseline('queryTimeP95').threshold * 1000;

export const statementsExtension: Step = {
  id: 'statements-extension',
  title: 'Check whether pg_stat_statements is available',
  why: 'Per-statement timings come from the pg_stat_statements extension; it must be preloaded and created in the database.',
  sql: `select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as installed,
       current_setting('shared_preload_libraries') like '%pg_stat_statements%' as preloaded`,
  kind: 'read',
  lookFor: 'installed = false: the report says how to enable it; the other steps still run.',
};

export const topStatements: Step = {
  id: 'top-statements',
  title: 'Statements of this database with their calls and time (taken twice, --window apart)',
  why: "The alert judges recent queries; the difference between two samples gives each statement's mean over the window, and the totals give its mean and max since the last reset.",
  sql: `select queryid::text as queryid, calls,
       total_exec_time::float8 as total_ms,
       round(mean_exec_time::numeric, 2)::float8 as mean_ms,
       round(max_exec_time::numeric, 2)::float8 as max_ms,
       (jit_generation_time + jit_inlining_time + jit_optimization_time + jit_emission_time)::float8 as jit_ms,
       rows, left(query, 300) as query
from pg_stat_statements
where dbid = (select oid from pg_database where datname = current_database())
  and query not like '%pg_stat_statements%'
order by total_exec_time desc
limit 500`,
  kind: 'read',
  lookFor: `mean_ms or max_ms over the query baseline (${QUERY_LIMIT_MS} ms), or a cheap statement with a huge number of calls (an N+1 loop).`,
};

export const longRunning: Step = {
  id: 'long-running',
  title: 'Statements running now for longer than the threshold',
  why: 'A statement still running long after its peers is what users are waiting on right now.',
  sql: `select pid, usename as role, application_name, coalesce(client_addr::text, 'local') as client,
       extract(epoch from now() - query_start)::float8 as running_seconds,
       wait_event_type, wait_event, left(query, 300) as query
from pg_stat_activity
where state = 'active'
  and backend_type = 'client backend'
  and datname = current_database()
  and pid <> pg_backend_pid()
  and now() - query_start > make_interval(secs => $1)
order by query_start
limit 20`,
  params: ['threshold in seconds (--longer-than)'],
  kind: 'read',
  lookFor: 'wait_event_type Lock means it waits (see lock-contention); otherwise it is working: EXPLAIN it.',
};

export const statementOfPid: Step = {
  id: 'statement-of-pid',
  title: 'Fetch the statement a chosen backend is running',
  why: 'EXPLAIN needs the statement text; it is taken from the server, not retyped.',
  sql: `select query from pg_stat_activity where pid = $1 and datname = current_database() and state = 'active'`,
  params: ['pid from --explain-pid'],
  kind: 'read',
  lookFor: 'No row: that PID is not running a statement in this database.',
};

export const explainStatement: Step = {
  id: 'explain',
  title: 'EXPLAIN the chosen statement (without ANALYZE: nothing is executed)',
  why: 'The plan shows sequential scans, bad join orders and estimates that are far off, without running the query again.',
  sql: `explain {statement from step "statement-of-pid"}`,
  params: ['on PostgreSQL 16+ a statement with $n placeholders gets explain (generic_plan)'],
  kind: 'read',
  lookFor: 'Seq Scan on a large table, or row estimates far from reality.',
};

export const slowQueries = defineRunbookData({
  slug: 'slow-queries',
  title: 'Slow queries',
  purpose:
    'Ranks the statements of pg_stat_statements (or says how to enable it) by mean and max time against the query baseline, judging what ran during --window; lists the statements running longer than --longer-than right now, and with --explain-pid shows the EXPLAIN (not ANALYZE) plan of one. With --prometheus-url it evaluates StorefrontSlowQueries and StorefrontHighResponseTime as Prometheus does. It never changes anything.',
  flags: [
    { name: 'longer-than', type: 'duration', default: '5s', description: 'Report active statements running at least this long.' },
    { name: 'top', type: 'count', default: '5', description: 'How many statements to show in each ranking.' },
    { name: 'window', type: 'duration', default: '2s', description: 'Judge the statements that finish during this window.' },
    { name: 'explain-pid', type: 'pid', description: 'EXPLAIN the statement this backend is running.' },
    PROMETHEUS_FLAG,
  ],
  steps: [statementsExtension, topStatements, longRunning, statementOfPid, explainStatement],
  needs: ['other-sessions'],
});
