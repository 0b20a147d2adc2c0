// Alerts for the Kysely rollout (issue 16): kept apart from alert-rules.ts, which lists
// them with one line, so that the rollout's rules can be read, and later removed, together.
import type { AlertRule } from './alerts/shared.ts';

const svc = 'job="storefront",instance="storefront-1:3000"';

// #region shadow-mismatch-alert
/** Any mismatch in the shadow stage: the Kysely answer differed from legacy for a real request. */
const SHADOW_MISMATCH_EXPR = 'sum by (job, method, kind) (increase(storefront_shadow_mismatches_total[10m])) > 0';

export const ROLLOUT_ALERT_RULES: readonly AlertRule[] = [
  {
    name: 'StorefrontShadowMismatches',
    group: 'storefront-service',
    // A ticket, not a page: legacy is still answering, so no customer saw the wrong answer.
    severity: 'SEV3',
    expr: SHADOW_MISMATCH_EXPR,
    for: '1m',
    summary: 'Kysely disagreed with legacy on {{ $labels.method }} ({{ $labels.kind }}) on {{ $labels.job }}',
    description:
      'In the shadow stage the Kysely implementation of {{ $labels.method }} returned a different answer ({{ $labels.kind }}) from legacy in the last 10 minutes. ' +
      'Legacy is still serving. Do not move this method to canary: find the shadow-mismatch log lines (method, ids, path of the difference), replay them, ' +
      'and roll the method back to legacy if it is already past the shadow stage.',
    runbook: '/runbooks/rollback/',
    panel: {
      title: 'Shadow-read mismatches (Kysely vs legacy)',
      expr: 'sum by (method, kind) (increase(storefront_shadow_mismatches_total[10m]))',
      legend: '{{method}} {{kind}}',
      unit: 'short',
      threshold: 0.5,
      healthyWhen: 'below',
      meaning:
        'Shadow reads whose Kysely answer differed from legacy in the last 10 minutes, by method and kind of difference; 0 is the only healthy value.',
    },
    cases: [
      {
        name: 'fires when Kysely returns a different price for listProducts',
        evalMinutes: 10,
        fires: { job: 'storefront', method: 'listProducts', kind: 'value' },
        series: [{ series: `storefront_shadow_mismatches_total{${svc},method="listProducts",kind="value"}`, values: '0+2x15' }],
      },
      {
        name: 'stays silent while every shadow read matches',
        evalMinutes: 10,
        series: [
          { series: `storefront_shadow_mismatches_total{${svc},method="listProducts",kind="value"}`, values: '0+0x15' },
          { series: `storefront_shadow_reads_total{${svc},method="listProducts",outcome="match"}`, values: '0+30x15' },
        ],
      },
    ],
  },
];
// #endregion shadow-mismatch-alert

/** Not an alert: both layers' p95 query time side by side, for the dashboard during the rollout. */
export const DATA_LAYER_LATENCY_PANEL = {
  title: 'p95 query time by data layer (legacy vs Kysely)',
  expr: 'histogram_quantile(0.95, sum by (data_layer, le) (rate(storefront_db_query_duration_seconds_bucket{data_layer!="none"}[5m])))',
  legend: '{{data_layer}}',
  unit: 's',
} as const;
