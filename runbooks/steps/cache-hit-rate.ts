// Low cache hit rate: PostgreSQL's buffer-cache hit ratio per database and for the
// hottest tables, plus the application's own cache hit rate from its metrics endpoint.
// Both alerts judge a recent window (rate over 5 and 10 minutes), not lifetime totals,
// so every figure here is the change between two samples --window apart.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/cache-hit-rate.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PROMETHEUS_FLAG, metricsUrlFlag } from '../kit/contract.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** Same limits as PostgresLowBufferCacheHitRatio (monitoring/baselines.ts). */
export const BUFFER_HIT_LIMIT = DATABASE_LIMITS.bufferCacheHitRatio;
export const BUFFER_MIN_BLOCKS_PER_SECOND = DATABASE_LIMITS.bufferCacheMinBlocksPerSecond;

export const databaseHitRatio: Step = {
  id: 'database-hit-ratio',
  title: 'Block reads per database (taken twice, --window apart)',
  why: 'Every block read that misses shared_buffers goes to the OS cache or the disk; the alert judges the recent change, so the runbook compares two samples.',
  sql: `select datname, blks_hit, blks_read, datname = current_database() as current,
       clock_timestamp()::text as sampled_at
from pg_stat_database
where datname is not null and datname not in ('template0', 'template1')`,
  kind: 'read',
  lookFor: `A database reading at least ${BUFFER_MIN_BLOCKS_PER_SECOND} blocks a second with under ${BUFFER_HIT_LIMIT * 100} % of them from shared buffers.`,
};

export const hottestTables: Step = {
  id: 'hottest-tables',
  title: 'Block reads per table of this database (taken twice, --window apart)',
  why: 'The table that read the most blocks from outside shared_buffers during the window is the one a new scan or a grown working set is hitting.',
  sql: `select format('%I.%I', schemaname, relname) as table_name,
       heap_blks_hit + coalesce(idx_blks_hit, 0) + coalesce(toast_blks_hit, 0) as hits,
       heap_blks_read + coalesce(idx_blks_read, 0) + coalesce(toast_blks_read, 0) as reads
from pg_statio_user_tables`,
  kind: 'read',
  lookFor: 'The table with the most reads in the window; a sequential scan of a large table is the usual cause.',
};

export const cacheHitRate = defineRunbookData({
  slug: 'cache-hit-rate',
  title: 'Low cache hit rate',
  purpose:
    "Samples the PostgreSQL buffer-cache hit ratio per database and per table, and the application cache hit rate from the Storefront metrics endpoint, twice --window apart, and judges the change with the alerts' limits. With --prometheus-url it evaluates the alerts as Prometheus does. It never changes anything.",
  flags: [
    metricsUrlFlag(', e.g. http://127.0.0.1:3000/metrics.'),
    {
      name: 'window',
      type: 'duration',
      default: '5s',
      description: 'How long to watch the counters; the alerts use 5 and 10 minutes, this judges the same ratio now.',
    },
    PROMETHEUS_FLAG,
  ],
  steps: [databaseHitRatio, hottestTables],
});
