// Slow queries: the top statements from pg_stat_statements (or how to enable it),
// the statements running right now for too long, and EXPLAIN (never ANALYZE) on request.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';

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
  title: 'Top statements by total execution time in this database',
  why: 'The statements that consume the most time in total are where tuning pays most, even when each call is fast.',
  sql: `select queryid::text as queryid, calls,
       round(total_exec_time::numeric, 1)::float8 as total_ms,
       round(mean_exec_time::numeric, 2)::float8 as mean_ms,
       rows, left(query, 300) as query
from pg_stat_statements
where dbid = (select oid from pg_database where datname = current_database())
order by total_exec_time desc
limit $1`,
  params: ['how many statements (--top)'],
  kind: 'read',
  lookFor: 'A statement with a high mean_ms, or a cheap one with a huge number of calls (an N+1 loop).',
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

interface LongRow {
  pid: number;
  role: string;
  application_name: string;
  client: string;
  running_seconds: number;
  wait_event_type: string | null;
  wait_event: string | null;
  query: string;
}

export async function diagnoseSlowQueries(session: Session, longerThanMs: number, top = 5, explainPid?: number): Promise<Diagnosis> {
  const findings: Finding[] = [];
  const [ext] = await session.read<{ installed: boolean; preloaded: boolean }>(statementsExtension);
  let statements: Record<string, unknown>[] = [];
  if (ext?.installed && ext.preloaded) {
    statements = await session.read(topStatements, [top]);
    for (const row of statements) {
      findings.push({ level: 'info', text: `${String(row.calls).padStart(7)} calls, mean ${row.mean_ms} ms, total ${row.total_ms} ms: ${truncate(row.query as string, 100)}` });
    }
  } else {
    findings.push({
      level: 'info',
      text: ext?.preloaded
        ? 'pg_stat_statements is preloaded but not created in this database: run CREATE EXTENSION pg_stat_statements; (needs a superuser or the database owner)'
        : "pg_stat_statements is not available: add it to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in this database",
    });
  }
  const long = await session.read<LongRow>(longRunning, [longerThanMs / 1000]);
  for (const row of long) {
    findings.push({
      level: 'problem',
      text: `PID ${row.pid} has run for ${formatSeconds(row.running_seconds)} (${row.application_name || row.role}, ${row.client}${row.wait_event_type ? `, waiting on ${row.wait_event_type}/${row.wait_event}` : ''}): ${truncate(row.query)}`,
    });
  }
  if (long.length === 0) findings.push({ level: 'ok', text: `no statement in this database has run longer than ${longerThanMs / 1000}s` });
  let plan: string[] | undefined;
  if (explainPid) {
    const [target] = await session.read<{ query: string }>(statementOfPid, [explainPid]);
    if (!target) findings.push({ level: 'info', text: `PID ${explainPid} is not running a statement in this database; nothing to EXPLAIN` });
    else {
      try {
        plan = await session.explain(explainStatement, target.query);
        findings.push({ level: 'info', text: `plan of PID ${explainPid} (${truncate(target.query, 80)}):\n${plan.map((line) => `      ${line}`).join('\n')}` });
      } catch (error) {
        findings.push({ level: 'info', text: `cannot EXPLAIN the statement of PID ${explainPid}: ${(error as Error).message}` });
      }
    }
  }
  const first = long[0];
  return {
    healthy: long.length === 0,
    findings,
    summary: first ? `${long.length} statement(s) running longer than ${longerThanMs / 1000}s; longest is PID ${first.pid}` : 'no long-running statements',
    next: first
      ? `Look at its plan: re-run with --explain-pid ${first.pid}. If it waits on a Lock, follow the lock-contention runbook. To stop it, ask its owner, or use pg_cancel_backend(${first.pid}) as a role with pg_signal_backend.`
      : 'Nothing is slow right now; check the top statements above against the baseline.',
    data: { pgStatStatements: ext, topStatements: statements, longRunning: long, plan },
  };
}

export const slowQueries: RunbookDefinition = {
  slug: 'slow-queries',
  title: 'Slow queries',
  purpose: 'Shows the top statements from pg_stat_statements (or how to enable it), the statements running longer than --longer-than right now, and with --explain-pid the EXPLAIN (not ANALYZE) plan of one of them. It never changes anything.',
  flags: [
    { name: 'longer-than', type: 'duration', default: '5s', description: 'Report active statements running at least this long.' },
    { name: 'top', type: 'count', default: '5', description: 'How many top statements to show.' },
    { name: 'explain-pid', type: 'pid', description: 'EXPLAIN the statement this backend is running.' },
  ],
  steps: [statementsExtension, topStatements, longRunning, statementOfPid, explainStatement],
  needs: ['other-sessions'],
  diagnose: (session, args) => diagnoseSlowQueries(session, args['longer-than'] as number, args.top as number, args['explain-pid'] as number | undefined),
};
