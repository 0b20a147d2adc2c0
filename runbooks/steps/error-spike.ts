// Error spike: deadlocks, rollbacks, recovery conflicts and temp files from
// pg_stat_database, as the change over a sampling window, not lifetime totals.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/error-spike.ts.
import { defineRunbookData, type Step } from '../kit/definition.ts';
import { PROMETHEUS_FLAG, metricsUrlFlag } from '../kit/contract.ts';

export const sampleCounters: Step = {
  id: 'sample-counters',
  title: 'Read the error counters of this database (taken twice, a window apart)',
  why: 'Lifetime totals hide a spike; the difference between two samples shows what happened during the window.',
  sql: `select xact_commit, xact_rollback, deadlocks, conflicts, temp_files, temp_bytes,
       clock_timestamp()::text as sampled_at
from pg_stat_database
where datname = current_database()`,
  kind: 'read',
  lookFor: 'deadlocks or conflicts going up, or rollbacks becoming a large share of transactions.',
};

export const deadlocksSinceReset: Step = {
  id: 'deadlocks-since-reset',
  title: 'Count the deadlocks of this database since its statistics were last reset',
  why: 'PostgresDeadlocksIncreasing counts the last 10 minutes; SQL only has the total since the reset. Zero since a reset means none in the window either.',
  sql: `select deadlocks, stats_reset::text as stats_reset,
       extract(epoch from now() - coalesce(stats_reset, pg_postmaster_start_time()))::float8 as seconds_counted
from pg_stat_database
where datname = current_database()`,
  kind: 'read',
  lookFor: 'deadlocks > 0: whether one fell in the alert window needs Prometheus (--prometheus-url) or the server log.',
};

export const errorSpike = defineRunbookData({
  slug: 'error-spike',
  title: 'Error spike',
  purpose:
    "Samples deadlocks, rollbacks, recovery conflicts and temp files of this database twice, --window apart, and reports the change; with --metrics-url, the service's 5xx share over the same window. With --prometheus-url it evaluates StorefrontHighErrorRate and PostgresDeadlocksIncreasing as Prometheus does. It never changes anything.",
  flags: [
    {
      name: 'window',
      type: 'duration',
      default: '1s',
      description: 'How long to watch the counters; use 60s for a steadier rollback rate.',
    },
    metricsUrlFlag(': also sample its 5xx share over the window.'),
    PROMETHEUS_FLAG,
  ],
  steps: [sampleCounters, deadlocksSinceReset],
});
