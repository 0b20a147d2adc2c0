// Every alert, with the series that must make it fire and the series that must
// keep it quiet. generate.ts turns this into the Prometheus rule file and its
// promtool unit tests, so an alert cannot exist without proof that it fires.
//
// The alerts are written in monitoring/alerts/, one module per group of what they watch, with
// what the modules share in alerts/shared.ts. This file puts them in the one order that the
// rule file, its tests, the dashboard and the site list them in, and is what the rest of the
// project imports.
import { BASELINES, HANDBOOK_URL } from './baselines.ts';
import type { AlertRule } from './alerts/shared.ts';
import { storefrontServiceAlerts } from './alerts/storefront-service.ts';
import { postgresSessionAlerts } from './alerts/postgresql-sessions.ts';
import { postgresStatisticsAlerts } from './alerts/postgresql-statistics.ts';
import { postgresWalAlerts } from './alerts/postgresql-wal.ts';
import { ROLLOUT_ALERT_RULES } from './rollout-alerts.ts';

export type { AlertRule };

// #region alert-rules
/**
 * Every alert. `scale` shrinks the windows, the `for` durations and the time limits
 * together (1/60: a minute becomes a second) for the end-to-end test; thresholds that
 * are not times (ratios, counts, bytes, query seconds) never change.
 */
export function alertRules(scale = 1): AlertRule[] {
  return [
    ...storefrontServiceAlerts(scale),
    ...postgresSessionAlerts(scale),
    ...postgresStatisticsAlerts(scale),
    ...postgresWalAlerts(scale),
    // The rollout's alerts (issue 16) live in rollout-alerts.ts; their windows are not scaled.
    ...ROLLOUT_ALERT_RULES,
  ];
}
// #endregion alert-rules

export const ALERT_RULES: readonly AlertRule[] = alertRules();

export function runbookUrl(rule: Pick<AlertRule, 'runbook'>): string {
  return `${HANDBOOK_URL}${rule.runbook}`;
}

/** The baseline alerts are named in baselines.ts; this keeps the two lists from drifting apart. */
export function alertsWithoutRule(): string[] {
  return BASELINES.map((entry) => entry.alert).filter((name) => !ALERT_RULES.some((rule) => rule.name === name));
}
