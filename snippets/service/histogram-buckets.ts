// The histogram bucket edges, in a module of their own so that monitoring/baselines.ts
// (and every runbook that reads it) can round a threshold to an edge without loading
// prom-client. Edges include each latency baseline, so the p95 that Prometheus
// interpolates is exact at the threshold the alert compares with.
export const QUERY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
export const HTTP_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
