// Slow queries: pg_stat_statements ranked by mean and max time against the query
// baseline (StorefrontSlowQueries' threshold), judged on what ran during a short
// sampling window; the statements running right now for too long; and EXPLAIN
// (never ANALYZE) on request.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { baseline } from '../../monitoring/baselines.ts';
import {
  PROMETHEUS_FLAG,
  checkAlerts,
  formatLabels,
  promQuery,
  prometheusUrlFrom,
  ruleWindow,
  withAlertCheck,
  type AlertCheck,
} from '../kit/alert-check.ts';

/** StorefrontSlowQueries fires when the service's p95 query time passes this (monitoring/baselines.ts). */
const QUERY_LIMIT_MS = baseline('queryTimeP95').threshold * 1000;

const statementsExtension: Step = {
  id: 'statements-extension',
  title: 'Check whether pg_stat_statements is available',
  why: 'Per-statement timings come from the pg_stat_statements extension; it must be preloaded and created in the database.',
  sql: `select exists (select 1 from pg_extension where extname = 'pg_stat_statements') as installed,
       current_setting('shared_preload_libraries') like '%pg_stat_statements%' as preloaded`,
  kind: 'read',
  lookFor: 'installed = false: the report says how to enable it; the other steps still run.',
};

const topStatements: Step = {
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

const longRunning: Step = {
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

const statementOfPid: Step = {
  id: 'statement-of-pid',
  title: 'Fetch the statement a chosen backend is running',
  why: 'EXPLAIN needs the statement text; it is taken from the server, not retyped.',
  sql: `select query from pg_stat_activity where pid = $1 and datname = current_database() and state = 'active'`,
  params: ['pid from --explain-pid'],
  kind: 'read',
  lookFor: 'No row: that PID is not running a statement in this database.',
};

const explainStatement: Step = {
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

interface StatementRow {
  queryid: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  max_ms: number;
  jit_ms: number;
  rows: number;
  query: string;
}

interface RankedStatement extends StatementRow {
  /** Calls and mean during the sampling window (0 / null when it did not run). */
  windowCalls: number;
  windowMeanMs: number | null;
  windowJitMs: number;
}

/** Per statement: what happened between two samples of pg_stat_statements. */
function rankStatements(before: StatementRow[], after: StatementRow[]): RankedStatement[] {
  const earlier = new Map(before.map((row) => [row.queryid, row]));
  return after.map((row) => {
    const old = earlier.get(row.queryid);
    const windowCalls = row.calls - (old?.calls ?? 0);
    const windowMs = row.total_ms - (old?.total_ms ?? 0);
    return {
      ...row,
      windowCalls,
      windowMeanMs: windowCalls > 0 ? windowMs / windowCalls : null,
      windowJitMs: row.jit_ms - (old?.jit_ms ?? 0),
    };
  });
}

const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} ms`);

async function diagnoseSlowQueries(
  session: Session,
  longerThanMs: number,
  top = 5,
  explainPid?: number,
  windowMs = 2000,
): Promise<Diagnosis> {
  const findings: Finding[] = [];
  const [ext] = await session.read<{ installed: boolean; preloaded: boolean }>(statementsExtension);
  let statements: RankedStatement[] = [];
  let slowNow: RankedStatement[] = [];
  const window = `${windowMs / 1000}s`;
  if (ext?.installed && ext.preloaded) {
    const before = await session.read<StatementRow>(topStatements);
    await session.wait(windowMs);
    const ranked = rankStatements(before, await session.read<StatementRow>(topStatements));
    slowNow = ranked.filter((row) => (row.windowMeanMs ?? 0) > QUERY_LIMIT_MS).sort((a, b) => b.windowMeanMs! - a.windowMeanMs!);
    const windowCalls = ranked.reduce((sum, row) => sum + row.windowCalls, 0);
    const slowCalls = slowNow.reduce((sum, row) => sum + row.windowCalls, 0);
    for (const row of slowNow.slice(0, top)) {
      const jit = row.windowJitMs > 0 ? `, of which JIT compilation ${ms(row.windowJitMs / row.windowCalls)}` : '';
      findings.push({
        level: 'problem',
        text: `queryid ${row.queryid}: mean ${ms(row.windowMeanMs)} over ${row.windowCalls} call(s) in the last ${window}${jit} (baseline ${QUERY_LIMIT_MS} ms): ${truncate(row.query, 140)}`,
      });
    }
    if (windowCalls === 0)
      findings.push({ level: 'info', text: `no statement finished in this database during the ${window} window; nothing to judge now` });
    else if (slowNow.length === 0)
      findings.push({
        level: 'ok',
        text: `${windowCalls} call(s) finished in the last ${window}; no statement's mean was over the ${QUERY_LIMIT_MS} ms baseline`,
      });
    else
      findings.push({
        level: 'info',
        text: `statements over the baseline made ${((slowCalls / windowCalls) * 100).toFixed(0)}% of the ${windowCalls} call(s) in the window (the alert fires when over 5% of queries are slower than ${QUERY_LIMIT_MS} ms)`,
      });
    // Since the last reset: the ranking on-call compares with the baseline, by mean and by max.
    const byMean = [...ranked].sort((a, b) => b.mean_ms - a.mean_ms).slice(0, top);
    const byMax = [...ranked].sort((a, b) => b.max_ms - a.max_ms).slice(0, top);
    for (const row of byMean)
      findings.push({
        level: 'info',
        text: `by mean since reset: ${ms(row.mean_ms)} (max ${ms(row.max_ms)}, ${row.calls} calls)${row.mean_ms > QUERY_LIMIT_MS ? ' OVER BASELINE' : ''}: ${truncate(row.query, 100)}`,
      });
    for (const row of byMax.filter((row) => !byMean.includes(row)))
      findings.push({
        level: 'info',
        text: `by max since reset: ${ms(row.max_ms)} (mean ${ms(row.mean_ms)}, ${row.calls} calls): ${truncate(row.query, 100)}`,
      });
    statements = [...new Set([...slowNow, ...byMean, ...byMax])];
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
    if (!target)
      findings.push({ level: 'info', text: `PID ${explainPid} is not running a statement in this database; nothing to EXPLAIN` });
    else {
      try {
        plan = await session.explain(explainStatement, target.query);
        findings.push({
          level: 'info',
          text: `plan of PID ${explainPid} (${truncate(target.query, 80)}):\n${plan.map((line) => `      ${line}`).join('\n')}`,
        });
      } catch (error) {
        findings.push({ level: 'info', text: `cannot EXPLAIN the statement of PID ${explainPid}: ${(error as Error).message}` });
      }
    }
  }
  const first = long[0];
  const slowest = slowNow[0];
  const summaries = [
    slowest
      ? `${slowNow.length} statement(s) over the ${QUERY_LIMIT_MS} ms baseline in the last ${window}; slowest is queryid ${slowest.queryid} (mean ${ms(slowest.windowMeanMs)})`
      : '',
    first ? `${long.length} statement(s) running longer than ${longerThanMs / 1000}s; longest is PID ${first.pid}` : '',
  ].filter(Boolean);
  let next = 'Nothing is slow right now; check the ranking above against the baseline.';
  if (first)
    next = `Look at its plan: re-run with --explain-pid ${first.pid}. If it waits on a Lock, follow the lock-contention runbook. To stop it, ask its owner, or use pg_cancel_backend(${first.pid}) as a role with pg_signal_backend.`;
  else if (slowest)
    next =
      slowest.windowJitMs > (slowest.windowMeanMs ?? 0) * slowest.windowCalls * 0.5
        ? 'Most of the time is JIT compilation: check jit_above_cost and friends (SHOW jit_above_cost); a recent configuration change that lowered them makes every query pay for compiling. Reset them and reload.'
        : 'EXPLAIN the statement above (copy it from --json, or catch it running with --explain-pid); look for a sequential scan on a large table or a missing index. If it waits on locks, follow the lock-contention runbook.';
  return {
    healthy: long.length === 0 && slowNow.length === 0,
    findings,
    summary: summaries.length
      ? summaries.join('; ')
      : `no statement over the ${QUERY_LIMIT_MS} ms baseline in the last ${window}, none running long`,
    next,
    data: { pgStatStatements: ext, topStatements: statements, slowNow, longRunning: long, plan },
  };
}

/** With Prometheus: which repository operation the breached p95 comes from. */
async function drillDown(prometheusUrl: string | undefined, check: AlertCheck): Promise<Finding[]> {
  const alert = baseline('queryTimeP95').alert;
  if (!prometheusUrl || !check.breached.some((evaluation) => evaluation.alert === alert)) return [];
  const expr = `topk(3, histogram_quantile(0.95, sum by (job, operation, le) (rate(storefront_db_query_duration_seconds_bucket[${ruleWindow(check, alert, '5m')}]))))`;
  const rows = await promQuery(prometheusUrl, expr).catch(() => []);
  return rows.map((row) => ({
    level: 'info' as const,
    text: `p95 by operation (${expr}): ${formatLabels(row.labels)} ${(row.value * 1000).toFixed(0)} ms`,
  }));
}

export const slowQueries: RunbookDefinition = {
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
  async diagnose(session, args) {
    const prometheusUrl = prometheusUrlFrom(args);
    const diagnosis = await diagnoseSlowQueries(
      session,
      args['longer-than'] as number,
      args.top as number,
      args['explain-pid'] as number | undefined,
      args.window as number,
    );
    const check = await checkAlerts('slow-queries', prometheusUrl);
    const merged = withAlertCheck(diagnosis, check, session.target.database);
    merged.findings.push(...(await drillDown(prometheusUrl, check)));
    return merged;
  },
};
