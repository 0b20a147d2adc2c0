// Slow queries, the logic: rank pg_stat_statements over the window, list what runs too long
// now, EXPLAIN one on request, and evaluate the alerts. The steps and flags are
// runbooks/steps/slow-queries.ts.
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import { baseline } from '../../monitoring/baselines.ts';
import {
  checkAlerts,
  formatLabels,
  promQuery,
  prometheusUrlFrom,
  ruleWindow,
  withAlertCheck,
  type AlertCheck,
} from '../kit/alert-check.ts';
import {
  QUERY_LIMIT_MS,
  explainStatement,
  longRunning,
  slowQueries as data,
  statementOfPid,
  statementsExtension,
  topStatements,
} from '../steps/slow-queries.ts';

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

/** The diagnosis's data (--json `data`). */
interface SlowData {
  pgStatStatements: { installed: boolean; preloaded: boolean } | undefined;
  topStatements: RankedStatement[];
  slowNow: RankedStatement[];
  longRunning: LongRow[];
  plan: string[] | undefined;
}

const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} ms`);

async function diagnoseSlowQueries(
  session: Session,
  longerThanMs: number,
  top = 5,
  explainPid?: number,
  windowMs = 2000,
): Promise<Diagnosis<SlowData>> {
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

export const slowQueries = defineRunbook(data, {
  async diagnose(session, args) {
    const prometheusUrl = prometheusUrlFrom(args);
    const diagnosis = await diagnoseSlowQueries(session, args['longer-than'], args.top, args['explain-pid'], args.window);
    const check = await checkAlerts('slow-queries', prometheusUrl);
    const merged = withAlertCheck(diagnosis, check, session.target.database);
    merged.findings.push(...(await drillDown(prometheusUrl, check)));
    return merged;
  },
});
