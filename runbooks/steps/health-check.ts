// The daily health check: every runbook's diagnosis in one run, one summary,
// non-zero when anything is wrong. It only reads.
// The runbook's data (what the page shows and the CLI runs); its logic is runbooks/logic/health-check.ts,
// which runs the runbooks listed here, in this order.
import { defineRunbookData } from '../kit/definition.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { slowQueries } from './slow-queries.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';

/** In the order they run; error-spike's window is shortened so the whole check stays quick, the cache check keeps its own. */
export const CHECKED = [lockContention, connectionSaturation, slowQueries, cacheHitRate, errorSpike, vacuumBloat, rollback];

const uniqueReadSteps = () => [
  ...new Set(
    CHECKED.flatMap((runbook) =>
      runbook.steps.filter(
        (step) =>
          step.kind === 'read' &&
          !['check-recovery', 'check-role', 'take-run-lock', 'resolve-table', 'statement-of-pid', 'explain', 'still-blocking'].includes(
            step.id,
          ),
      ),
    ),
  ),
];

export const healthCheck = defineRunbookData({
  slug: 'health-check',
  title: 'Daily health check',
  purpose:
    'Runs the diagnosis of every other runbook (locks, connections, slow queries, cache, errors, vacuum, release state) with their default thresholds and prints one summary. Each check is reported on its own and a failing one does not stop the others; on a database that is not the Storefront, the Storefront-only check says so and the others run. Exits 1 if any of them found a problem, 4 if none did but one could not be made. It never changes anything.',
  flags: [
    { name: 'window', type: 'duration', default: '1s', description: 'Sampling window for the error-spike check.' },
    {
      name: 'cache-window',
      type: 'duration',
      default: '5s',
      description: 'Sampling window for the cache-hit-rate check (its own default).',
    },
  ],
  detectsSaturation: true,
  get steps() {
    return uniqueReadSteps();
  },
});
