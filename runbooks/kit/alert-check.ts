// The alerts a runbook answers, checked the way Prometheus checks them. With
// --prometheus-url (or $PROMETHEUS_URL) the runbook asks Prometheus for the rule it
// really loaded and evaluates that rule's own PromQL now; without it, it says which
// part of each alert's condition SQL cannot see and prints the PromQL to run.
import { ALERT_RULES, type AlertRule } from '../../monitoring/alert-rules.ts';
import { UsageError } from './args.ts';
import type { ArgsOf, PROMETHEUS_FLAG } from './contract.ts';
import type { Diagnosis, Finding } from './definition.ts';

/** The --prometheus-url value (runbooks/kit/contract.ts), checked: http(s) only, never echoed with credentials. */
export function prometheusUrlFrom(args: ArgsOf<typeof PROMETHEUS_FLAG>): string | undefined {
  const raw = (args['prometheus-url'] || process.env.PROMETHEUS_URL || '').trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('--prometheus-url must be an http:// or https:// URL, e.g. http://127.0.0.1:9090');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--prometheus-url must be an http:// or https:// URL, e.g. http://127.0.0.1:9090');
  return url.toString().replace(/\/$/, '');
}

export function alertsLeadingTo(slug: string): AlertRule[] {
  return ALERT_RULES.filter((rule) => rule.runbook === `/runbooks/${slug}/`);
}

export interface SeriesValue {
  labels: Record<string, string>;
  value: number;
}

interface AlertEvaluation {
  alert: string;
  /** Where the PromQL came from: the rule Prometheus loaded, or the handbook's definition. */
  source: 'prometheus' | 'handbook';
  expr: string;
  /** inactive, pending or firing, as Prometheus reports the rule. */
  state: string;
  /** Series the expression returns now: each is a place where the condition is true. */
  series: SeriesValue[];
}

/** The `data` of a Prometheus HTTP API answer, typed by the caller (the API's documented shape). */
async function getJson<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
  return body.data;
}

/** Runs one PromQL expression now (an instant query). */
export async function promQuery(base: string, expr: string): Promise<SeriesValue[]> {
  const data = await getJson<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    base,
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return data.result.map((row) => ({ labels: row.metric, value: Number(row.value[1]) }));
}

export function formatLabels(labels: Record<string, string>, skip = ['__name__']): string {
  const parts = Object.entries(labels)
    .filter(([name]) => !skip.includes(name))
    .map(([name, value]) => `${name}="${value}"`);
  return `{${parts.join(', ')}}`;
}

const round = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(4));

export interface AlertCheck {
  findings: Finding[];
  /** True when Prometheus answered for every alert: SQL's blind spots were covered. */
  evaluated: boolean;
  /** Alerts whose condition is true now. */
  breached: AlertEvaluation[];
  evaluations: AlertEvaluation[];
}

/**
 * Evaluates every alert that links to `slug`. Without Prometheus, each alert SQL
 * cannot fully see yields a "not checked" finding with the PromQL to run.
 */
export async function checkAlerts(slug: string, prometheusUrl: string | undefined): Promise<AlertCheck> {
  const rules = alertsLeadingTo(slug);
  const findings: Finding[] = [];
  if (!prometheusUrl) {
    for (const rule of rules.filter((candidate) => candidate.sqlCannotSee)) findings.push(notChecked(rule));
    return { findings, evaluated: false, breached: [], evaluations: [] };
  }
  let loaded: { name: string; query: string; state: string }[];
  try {
    const data = await getJson<{ groups: { rules: { name: string; query: string; state: string }[] }[] }>(
      prometheusUrl,
      '/api/v1/rules?type=alert',
    );
    loaded = data.groups.flatMap((group) => group.rules);
  } catch (error) {
    findings.push({
      level: 'info',
      text: `Prometheus at ${prometheusUrl} did not answer (${(error as Error).message}); the alert conditions were not evaluated`,
    });
    for (const rule of rules.filter((candidate) => candidate.sqlCannotSee)) findings.push(notChecked(rule));
    return { findings, evaluated: false, breached: [], evaluations: [] };
  }
  const evaluations: AlertEvaluation[] = [];
  for (const rule of rules) {
    const live = loaded.find((candidate) => candidate.name === rule.name);
    const evaluation: AlertEvaluation = {
      alert: rule.name,
      source: live ? 'prometheus' : 'handbook',
      expr: live?.query ?? rule.expr,
      state: live?.state ?? 'not loaded',
      series: [],
    };
    if (!live)
      findings.push({ level: 'info', text: `${rule.name} is not loaded in this Prometheus; evaluating the handbook's expression instead` });
    try {
      evaluation.series = await promQuery(prometheusUrl, evaluation.expr);
    } catch (error) {
      findings.push({ level: 'info', text: `${rule.name}: Prometheus could not evaluate its expression (${(error as Error).message})` });
      continue;
    }
    evaluations.push(evaluation);
    if (evaluation.series.length === 0) {
      findings.push({ level: 'ok', text: `${rule.name}: its condition is false now in Prometheus (rule state ${evaluation.state})` });
      continue;
    }
    for (const series of evaluation.series) {
      findings.push({
        level: 'problem',
        text: `${rule.name} (${evaluation.state}): condition true for ${formatLabels(series.labels)}, value ${round(series.value)}`,
      });
    }
  }
  return {
    findings,
    evaluated: evaluations.length === rules.length,
    breached: evaluations.filter((evaluation) => evaluation.series.length > 0),
    evaluations,
  };
}

/**
 * The part of an alert's condition this run did not evaluate. It is reported, never
 * counted as healthy. (With the kit's 'unseen' level, this is where it belongs.)
 */
function notChecked(rule: AlertRule): Finding {
  return {
    level: 'info',
    text: `not checked: ${rule.name} looks at ${rule.sqlCannotSee}. Re-run with --prometheus-url, or run in Prometheus: ${rule.expr}`,
  };
}

/** What withAlertCheck adds to a diagnosis's data: which alerts were evaluated, and how. */
interface AlertsData {
  alerts: { evaluated: boolean; evaluations: AlertEvaluation[] };
}

/**
 * Folds the alert check into a runbook's SQL diagnosis: a condition true in Prometheus
 * is a problem even when SQL sees nothing now, and a series for another database says
 * where to point the runbook instead.
 */
export function withAlertCheck<Data extends object>(
  diagnosis: Diagnosis<Data>,
  check: AlertCheck,
  database: string,
): Diagnosis<Data & AlertsData> {
  const findings = [...diagnosis.findings, ...check.findings];
  const elsewhere = new Set<string>();
  for (const evaluation of check.breached) {
    for (const series of evaluation.series)
      if (series.labels.datname && series.labels.datname !== database) elsewhere.add(series.labels.datname);
  }
  for (const name of elsewhere) {
    findings.push({
      level: 'problem',
      text: `an alert condition is true in database ${name}, and this run looked at ${database}: re-run with --database-url pointing at ${name}`,
    });
  }
  const breached = check.breached.map((evaluation) => evaluation.alert);
  const healthy = diagnosis.healthy && breached.length === 0;
  const unchecked = check.findings.filter((finding) => finding.text.startsWith('not checked:')).length;
  let summary = diagnosis.summary;
  if (breached.length) summary = `${breached.join(', ')} true in Prometheus now; ${summary}`;
  else if (healthy && unchecked)
    summary = `${summary}; not checked: ${unchecked} part(s) of the alert condition SQL cannot see (see above)`;
  return {
    ...diagnosis,
    healthy,
    findings,
    summary,
    data: { ...diagnosis.data, alerts: { evaluated: check.evaluated, evaluations: check.evaluations } },
  };
}

/** The range window a loaded rule uses ("[5s]" in the test, "[5m]" in production), for drill-down queries. */
export function ruleWindow(check: AlertCheck, alert: string, fallback: string): string {
  const expr = check.evaluations.find((evaluation) => evaluation.alert === alert)?.expr;
  return /\[(\d+(?:ms|s|m|h))\]/.exec(expr ?? '')?.[1] ?? fallback;
}

/** One scrape of a Prometheus text endpoint (the service's /metrics): name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return parseExposition(await response.text());
}

/** Sum of `name` over the samples that pass `keep`, grouped by the value of `by` (or '' for all). */
export function sumBy(
  samples: Sample[],
  name: string,
  by?: string,
  keep: (labels: Record<string, string>) => boolean = () => true,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name || !keep(sample.labels)) continue;
    const key = by ? (sample.labels[by] ?? '') : '';
    totals.set(key, (totals.get(key) ?? 0) + sample.value);
  }
  return totals;
}

/** after - before, per key (a counter that appeared during the window started at 0). */
export function delta(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}
