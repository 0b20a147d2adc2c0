// The Storefront service's alerts: one per baseline in monitoring/baselines.ts, each comparing
// the baseline's PromQL with its threshold, and each drawn on the dashboard as that baseline.
import { HANDBOOK_URL, baseline, formatThreshold } from '../baselines.ts';
import { HTTP_BUCKETS_SECONDS, QUERY_BUCKETS_SECONDS } from '../../snippets/service/histogram-buckets.ts';
import { SVC_LABELS, scaledDuration, svc, timeScale, type AlertPanel, type AlertRule, type SeriesInput } from './shared.ts';

const API = 'route!~"/metrics|/healthz"';

const p95 = (metric: string, selector: string, window: string) =>
  `histogram_quantile(0.95, sum by (job, le) (rate(${metric}_bucket${selector ? `{${selector}}` : ''}[${window}])))`;

const buckets = (metric: string, labels: string, edges: [string, string][]): SeriesInput[] =>
  edges.map(([le, values]) => ({ series: `${metric}_bucket{${labels},le="${le}"}`, values }));

/** Bucket edges around a latency baseline (it is itself an edge): the unit tests put requests just under or just over it. */
function around(threshold: number, edges: readonly number[]) {
  const at = edges.indexOf(threshold);
  if (at < 1 || at >= edges.length - 1) throw new Error(`baseline ${threshold} s must be an inner histogram bucket edge`);
  return { below: String(edges[at - 1]), at: String(threshold), above: String(edges[at + 1]) };
}

const response = baseline('responseTimeP95');
const query = baseline('queryTimeP95');
const httpEdges = around(response.threshold, HTTP_BUCKETS_SECONDS);
const queryEdges = around(query.threshold, QUERY_BUCKETS_SECONDS);
const cache = baseline('cacheHitRate');
const errors = baseline('errorRate');

const cacheRates = (window: string) => {
  const hits = `sum by (job) (rate(storefront_cache_hits_total[${window}]))`;
  const misses = `sum by (job) (rate(storefront_cache_misses_total[${window}]))`;
  // A counter nobody has incremented is absent, not 0: "or 0 * other" keeps a
  // 0 % hit rate (no hits at all) from silencing the alert.
  return { hitRate: `(${hits} or 0 * ${misses})`, missRate: `(${misses} or 0 * ${hits})` };
};

// #region baseline-queries
/** The four baselines as PromQL: the alert compares these with the threshold, the dashboard draws them. */
function baselineQueries(scale = 1) {
  const w5 = scaledDuration(5, scale);
  const { hitRate, missRate } = cacheRates(scaledDuration(10, scale));
  return {
    responseTimeP95: p95('storefront_http_request_duration_seconds', API, w5),
    queryTimeP95: p95('storefront_db_query_duration_seconds', '', w5),
    cacheHitRate: `${hitRate} / (${hitRate} + ${missRate})`,
    errorRate:
      `sum by (job) (rate(storefront_http_request_errors_total{${API}}[${w5}])) / ` +
      `sum by (job) (rate(storefront_http_request_duration_seconds_count{${API}}[${w5}]))`,
  } as const;
}
// #endregion baseline-queries

const BASELINE_QUERIES = baselineQueries();

const baselinePanel = (id: keyof typeof BASELINE_QUERIES): AlertPanel => {
  const entry = baseline(id);
  return {
    title: `${entry.title[0]!.toUpperCase()}${entry.title.slice(1)} (baseline ${formatThreshold(entry)})`,
    expr: BASELINE_QUERIES[id],
    legend: '{{job}}',
    unit: entry.unit === 'seconds' ? 's' : 'percentunit',
    threshold: entry.threshold,
    healthyWhen: entry.healthyWhen,
    meaning: entry.meaning,
  };
};

/** The service's alerts at `scale` (see alertRules in ../alert-rules.ts). */
export function storefrontServiceAlerts(scale: number): AlertRule[] {
  const { m } = timeScale(scale);
  const BQ = baselineQueries(scale);
  const { hitRate, missRate } = cacheRates(m(10));
  return [
    {
      name: response.alert,
      group: 'storefront-service',
      severity: 'SEV2',
      expr: `${BQ.responseTimeP95} > ${response.threshold}`,
      panel: baselinePanel('responseTimeP95'),
      for: m(5),
      summary: `Storefront p95 response time is over ${formatThreshold(response).slice(2)} on {{ $labels.job }}`,
      description:
        `The slowest 5 % of API requests on {{ $labels.job }} have taken longer than the baseline (${formatThreshold(response)}) for 5 minutes. ` +
        'Compare with the p95 query time panel: if queries are slow too, the database is the cause; follow the slow-queries runbook.',
      runbook: '/runbooks/slow-queries/',
      sqlCannotSee: "the service's response times: PostgreSQL sees its queries, never the HTTP requests, the pool wait or the network",
      cases: [
        {
          name: 'fires when every request takes between the baseline and the next bucket edge',
          evalMinutes: 15,
          fires: SVC_LABELS,
          series: buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
            [httpEdges.below, '0+0x30'],
            [httpEdges.at, '0+0x30'],
            [httpEdges.above, '0+60x30'],
            ['+Inf', '0+60x30'],
          ]),
        },
        {
          name: 'stays silent when requests are fast and only the /metrics scrape is slow',
          evalMinutes: 15,
          series: [
            ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/products",status_code="200"`, [
              [httpEdges.below, '0+60x30'],
              [httpEdges.at, '0+60x30'],
              [httpEdges.above, '0+60x30'],
              ['+Inf', '0+60x30'],
            ]),
            ...buckets('storefront_http_request_duration_seconds', `${svc},method="GET",route="/metrics",status_code="200"`, [
              [httpEdges.below, '0+0x30'],
              [httpEdges.at, '0+0x30'],
              [httpEdges.above, '0+600x30'],
              ['+Inf', '0+600x30'],
            ]),
          ],
        },
      ],
    },
    {
      name: query.alert,
      group: 'storefront-service',
      severity: 'SEV3',
      expr: `${BQ.queryTimeP95} > ${query.threshold}`,
      panel: baselinePanel('queryTimeP95'),
      for: m(10),
      summary: `Storefront p95 query time is over ${formatThreshold(query).slice(2)} on {{ $labels.job }}`,
      description:
        `The slowest 5 % of SQL queries from {{ $labels.job }} have taken longer than the baseline (${formatThreshold(query)}) for 10 minutes. ` +
        'The operation label of storefront_db_query_duration_seconds names the repository method; the slow-queries runbook finds the statement in pg_stat_statements.',
      runbook: '/runbooks/slow-queries/',
      sqlCannotSee:
        "the service's own query histogram over the last 5 minutes (it includes pool wait and network); pg_stat_statements has per-statement means since its last reset, which the runbook samples over a few seconds instead",
      cases: [
        {
          name: 'fires when queries take between the baseline and the next bucket edge',
          evalMinutes: 20,
          fires: SVC_LABELS,
          series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
            [queryEdges.below, '0+0x30'],
            [queryEdges.at, '0+0x30'],
            [queryEdges.above, '0+100x30'],
            ['+Inf', '0+100x30'],
          ]),
        },
        {
          name: 'stays silent when queries finish within the bucket below the baseline',
          evalMinutes: 20,
          series: buckets('storefront_db_query_duration_seconds', `${svc},operation="listProducts",statement="select",outcome="ok"`, [
            [queryEdges.below, '0+100x30'],
            [queryEdges.at, '0+100x30'],
            [queryEdges.above, '0+100x30'],
            ['+Inf', '0+100x30'],
          ]),
        },
      ],
    },
    {
      name: cache.alert,
      group: 'storefront-service',
      severity: 'SEV3',
      expr: `${BQ.cacheHitRate} < ${cache.threshold} and (${hitRate} + ${missRate}) > 0`,
      panel: baselinePanel('cacheHitRate'),
      for: m(15),
      summary: `Storefront cache hit rate is under ${formatThreshold(cache).slice(2)} on {{ $labels.job }}`,
      description:
        `Fewer reads than the baseline (${formatThreshold(cache)}) were answered from the cache over the last 15 minutes, so more of them reach PostgreSQL. ` +
        'Check for a recent restart (an empty cache), a deploy that changed cache keys, or a burst of writes that invalidates entries.',
      runbook: '/runbooks/cache-hit-rate/',
      sqlCannotSee:
        "the service's cache counters over the last 10 minutes; with --metrics-url the runbook samples them over a few seconds instead",
      cases: [
        {
          name: 'fires when 30 % of reads hit the cache',
          evalMinutes: 30,
          fires: SVC_LABELS,
          series: [
            { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '0+30x40' },
            { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+70x40' },
          ],
        },
        {
          name: 'fires when no read has ever hit the cache (the hits counter does not exist yet)',
          evalMinutes: 30,
          fires: SVC_LABELS,
          series: [{ series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+70x40' }],
        },
        {
          name: 'stays silent when 90 % of reads hit the cache',
          evalMinutes: 30,
          series: [
            { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '0+90x40' },
            { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '0+10x40' },
          ],
        },
        {
          name: 'stays silent when there is no traffic at all',
          evalMinutes: 30,
          series: [
            { series: `storefront_cache_hits_total{${svc},cache="product"}`, values: '5x40' },
            { series: `storefront_cache_misses_total{${svc},cache="product"}`, values: '50x40' },
          ],
        },
      ],
    },
    {
      name: errors.alert,
      group: 'storefront-service',
      severity: 'SEV2',
      expr: `${BQ.errorRate} > ${errors.threshold}`,
      panel: baselinePanel('errorRate'),
      for: m(5),
      summary: `Storefront error rate is over ${formatThreshold(errors).slice(2)} on {{ $labels.job }}`,
      description:
        `More than the baseline share of API requests (${formatThreshold(errors)}) on {{ $labels.job }} were answered with a 5xx status for 5 minutes. ` +
        `Follow the error-spike runbook. If it started right after a release or a data_layer switch, roll back first: ${HANDBOOK_URL}/runbooks/rollback/`,
      runbook: '/runbooks/error-spike/',
      sqlCannotSee: 'HTTP 5xx answers: they happen in the service and never reach PostgreSQL',
      cases: [
        {
          name: 'fires when 2 % of requests fail',
          evalMinutes: 15,
          fires: SVC_LABELS,
          series: [
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+2x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`,
              values: '0+2x30',
            },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`,
              values: '0+98x30',
            },
          ],
        },
        {
          name: 'stays silent at 0.5 % errors, and ignores a failing /healthz',
          evalMinutes: 15,
          series: [
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/products"}`, values: '0+1x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="500"}`,
              values: '0+1x30',
            },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/products",status_code="200"}`,
              values: '0+199x30',
            },
            { series: `storefront_http_request_errors_total{${svc},method="GET",route="/healthz"}`, values: '0+6x30' },
            {
              series: `storefront_http_request_duration_seconds_count{${svc},method="GET",route="/healthz",status_code="503"}`,
              values: '0+6x30',
            },
          ],
        },
      ],
    },
  ];
}
