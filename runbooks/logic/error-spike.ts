// Error spike, the logic: judge the change in the error counters over --window, the service's
// 5xx share over the same window, and the alerts. The steps and flags are runbooks/steps/error-spike.ts.
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { baseline } from '../../monitoring/baselines.ts';
import {
  checkAlerts,
  delta as subtract,
  formatLabels,
  promQuery,
  prometheusUrlFrom,
  ruleWindow,
  sumBy,
  withAlertCheck,
  type AlertCheck,
} from '../kit/alert-check.ts';
import { sampleWindow, type WindowArgs } from '../kit/metrics-window.ts';
import { deadlocksSinceReset, errorSpike as data, sampleCounters } from '../steps/error-spike.ts';

/** The StorefrontHighErrorRate threshold (monitoring/baselines.ts): the service-side check uses the same number. */
const ERROR_RATE_LIMIT = baseline('errorRate').threshold;
/** Routes the error-rate baseline leaves out (the alert's route!~"/metrics|/healthz"). */
const NOT_API = new Set(['/metrics', '/healthz']);

/** Rollbacks above this share of transactions in the window are a problem (with at least ROLLBACK_MINIMUM of them). */
const ROLLBACK_SHARE_LIMIT = 0.05;
const ROLLBACK_MINIMUM = 5;

interface Counters {
  xact_commit: number;
  xact_rollback: number;
  deadlocks: number;
  conflicts: number;
  temp_files: number;
  temp_bytes: number;
  sampled_at: string;
}

type Delta = Record<keyof Omit<Counters, 'sampled_at'>, number>;

interface ServiceWindow {
  url: string;
  requests: number;
  errors: number;
  byRoute: [string, number][];
}

/** The diagnosis's data (--json `data`): the two samples, their difference and the service's side. */
interface ErrorData {
  windowMs: number;
  delta: Delta;
  first: Counters | undefined;
  second: Counters | undefined;
  service?: ServiceWindow | string;
}

async function diagnoseErrors(session: Session, args: WindowArgs): Promise<Diagnosis<ErrorData>> {
  const api = (labels: Record<string, string>) => !NOT_API.has(labels.route ?? '');
  const sampled = await sampleWindow(session, args, async () => (await session.read<Counters>(sampleCounters))[0]);
  const { before: first, after: second, windowMs, window, metrics } = sampled;
  let service: ServiceWindow | string | undefined;
  if (metrics.state === 'unreachable') service = metrics.message;
  else if (metrics.state === 'sampled') {
    const { before, after, url } = metrics;
    const requests =
      subtract(
        sumBy(after, 'storefront_http_request_duration_seconds_count', undefined, api),
        sumBy(before, 'storefront_http_request_duration_seconds_count', undefined, api),
      ).get('') ?? 0;
    const byRoute = subtract(
      sumBy(after, 'storefront_http_request_errors_total', 'route', api),
      sumBy(before, 'storefront_http_request_errors_total', 'route', api),
    );
    const errors = [...byRoute.values()].reduce((a, b) => a + b, 0);
    service = { url, requests, errors, byRoute: [...byRoute].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]) };
  }
  const change = (key: keyof Delta) => Number(second![key]) - Number(first![key]);
  const delta: Delta = {
    xact_commit: change('xact_commit'),
    xact_rollback: change('xact_rollback'),
    deadlocks: change('deadlocks'),
    conflicts: change('conflicts'),
    temp_files: change('temp_files'),
    temp_bytes: change('temp_bytes'),
  };
  const transactions = delta.xact_commit + delta.xact_rollback;
  const rollbackShare = transactions ? delta.xact_rollback / transactions : 0;
  const db = session.target.database;
  const problems: string[] = [];
  const findings: Finding[] = [];
  findings.push({
    level: delta.deadlocks > 0 ? 'problem' : 'ok',
    text: `${delta.deadlocks} deadlock(s) in database ${db} during the last ${window}`,
  });
  if (delta.deadlocks > 0) problems.push(`${delta.deadlocks} deadlock(s) in ${db}`);
  const rollbackProblem = delta.xact_rollback >= ROLLBACK_MINIMUM && rollbackShare > ROLLBACK_SHARE_LIMIT;
  findings.push({
    level: rollbackProblem ? 'problem' : 'ok',
    text: `${delta.xact_rollback} rollback(s) of ${transactions} transaction(s) (${(rollbackShare * 100).toFixed(1)}%)`,
  });
  if (rollbackProblem) problems.push(`${(rollbackShare * 100).toFixed(0)}% of transactions rolled back`);
  findings.push({
    level: delta.conflicts > 0 ? 'problem' : 'ok',
    text: `${delta.conflicts} recovery conflict(s) (queries cancelled on a replica)`,
  });
  if (delta.conflicts > 0) problems.push(`${delta.conflicts} recovery conflict(s)`);
  findings.push({
    level: 'info',
    text: `${delta.temp_files} temp file(s), ${(delta.temp_bytes / 1_048_576).toFixed(1)} MB spilled to disk (work_mem too small for a sort or hash)`,
  });
  if (typeof service === 'string') findings.push({ level: 'info', text: `${service}; the service's error rate was not checked` });
  else if (service && service.requests === 0)
    findings.push({
      level: 'info',
      text: `the service answered no API request during the ${window} window; its error rate was not checked`,
    });
  else if (service) {
    const share = service.errors / service.requests;
    const high = share > ERROR_RATE_LIMIT;
    const worst = service.byRoute.map(([route, n]) => `${route} ${n}`).join(', ');
    findings.push({
      level: high ? 'problem' : 'ok',
      text: `service: ${service.errors} of ${service.requests} API request(s) answered 5xx during ${window} (${(share * 100).toFixed(1)}%; baseline < ${ERROR_RATE_LIMIT * 100}%)${worst ? `; by route: ${worst}` : ''}`,
    });
    if (high)
      problems.push(`service error rate ${(share * 100).toFixed(1)}%${service.byRoute[0] ? `, mostly ${service.byRoute[0][0]}` : ''}`);
  }
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
    data: { windowMs, delta, first, second, service },
  };
}

/** With Prometheus: which routes and databases the breached conditions come from. */
async function drillDown(prometheusUrl: string | undefined, check: AlertCheck): Promise<Finding[]> {
  if (!prometheusUrl || !check.breached.some((evaluation) => evaluation.alert === baseline('errorRate').alert)) return [];
  const window = ruleWindow(check, baseline('errorRate').alert, '5m');
  const expr = `sum by (job, method, route) (rate(storefront_http_request_errors_total{route!~"/metrics|/healthz"}[${window}])) > 0`;
  const rows = await promQuery(prometheusUrl, expr).catch(() => []);
  return rows
    .sort((a, b) => b.value - a.value)
    .map((row) => ({ level: 'info' as const, text: `5xx by route (${expr}): ${formatLabels(row.labels)} ${row.value.toPrecision(3)}/s` }));
}

export const errorSpike = defineRunbook(data, {
  async diagnose(session, args) {
    const prometheusUrl = prometheusUrlFrom(args);
    const diagnosis = await diagnoseErrors(session, args);
    const [lifetime] = await session.read<{ deadlocks: number; stats_reset: string | null; seconds_counted: number }>(deadlocksSinceReset);
    const check = await checkAlerts('error-spike', prometheusUrl);
    const deadlockRule = 'PostgresDeadlocksIncreasing';
    if (lifetime && lifetime.deadlocks === 0) {
      // Nothing since the reset: SQL has seen the whole alert window for this database.
      check.findings = check.findings.filter(
        (finding) => !(finding.text.startsWith('not checked:') && finding.text.includes(deadlockRule)),
      );
      diagnosis.findings.push({
        level: 'ok',
        text: `no deadlock in ${session.target.database} since its statistics were reset (${lifetime.stats_reset ?? 'server start'}), so none in the alert's window`,
      });
    } else if (lifetime) {
      diagnosis.findings.push({
        level: 'info',
        text: `${lifetime.deadlocks} deadlock(s) in ${session.target.database} since ${lifetime.stats_reset ?? 'the server started'}; SQL cannot tell when`,
      });
    }
    if (!diagnosis.data.service) {
      const rule = check.evaluated ? undefined : 'StorefrontHighErrorRate';
      if (rule && !check.findings.some((finding) => finding.text.includes(rule)))
        check.findings.push({ level: 'info', text: `not checked: ${rule} (no --metrics-url and no --prometheus-url)` });
    }
    const merged = withAlertCheck(diagnosis, check, session.target.database);
    merged.findings.push(...(await drillDown(prometheusUrl, check)));
    return merged;
  },
});
