// What every module in monitoring/alerts/ shares: the shape of an alert with its proof (the
// series that must make it fire and those that must keep it quiet), the label selectors of
// the example targets the promtool tests use, and the time scaling of the end-to-end test.
import type { Severity } from '../baselines.ts';

export interface SeriesInput {
  series: string;
  /** promtool expanding notation, one sample per minute: '0+60x30' */
  values: string;
}

interface AlertCase {
  /** A plain sentence: what this case proves. */
  name: string;
  series: SeriesInput[];
  /** Minutes after the first sample at which promtool evaluates the rule. */
  evalMinutes: number;
  /** Labels of the alert that must fire; omit for a healthy case, which must stay silent. */
  fires?: Record<string, string>;
}

/** The dashboard panel that shows what the alert watches, with the alert's threshold drawn on it. */
export interface AlertPanel {
  title: string;
  expr: string;
  legend: string;
  unit: 's' | 'percentunit' | 'short';
  threshold: number;
  healthyWhen: 'below' | 'above';
  /** What the line means, for the panel description and the dashboard guide. */
  meaning: string;
}

export interface AlertRule {
  name: string;
  group: 'storefront-service' | 'postgresql';
  severity: Severity;
  expr: string;
  for: string;
  summary: string;
  description: string;
  /** Path on the handbook site; runbook_url is HANDBOOK_URL + this. */
  runbook: `/runbooks/${string}/`;
  /**
   * What SQL run now cannot see of this condition (a past window, the service's own
   * counters). The runbook says so and prints the PromQL; empty when SQL sees all of it.
   */
  sqlCannotSee?: string;
  panel: AlertPanel;
  cases: AlertCase[];
}

// The example targets of the promtool tests (the same as monitoring/prometheus/prometheus.yml).
export const svc = 'job="storefront",instance="storefront-1:3000"';
export const db = 'job="postgres",instance="db-1:9187"';
export const SVC_LABELS = { job: 'storefront' };
export const DB_INSTANCE = { instance: 'db-1:9187' };

/** Template databases and the shared-catalog row (datname "") never page. */
export const REAL_DB = 'datname!~"template0|template1|"';

/**
 * A Prometheus duration for `minutes` of production time. The end-to-end test
 * (test/monitoring/alert-loop.cluster.test.ts) loads the same rules with scale 1/60, so a
 * minute there lasts a second; the promtool tests and the shipped file use 1.
 */
export function scaledDuration(minutes: number, scale = 1): string {
  const ms = Math.round(minutes * 60_000 * scale);
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * The times of the rules at `scale`: `m` for windows and `for` durations, `seconds` for time
 * limits compared with a metric. Thresholds that are not times never scale.
 */
export function timeScale(scale: number) {
  return {
    m: (minutes: number) => scaledDuration(minutes, scale),
    seconds: (value: number) => Number((value * scale).toFixed(3)),
  };
}
