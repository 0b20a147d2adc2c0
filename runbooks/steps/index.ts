// Every runbook by slug, for the site (RunbookSteps.astro) and the index page.
import type { RunbookDefinition } from '../kit/definition.ts';
import { healthCheck } from './health-check.ts';
import { slowQueries } from './slow-queries.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';
import { walGrowth } from './wal-growth.ts';

export const RUNBOOKS: Record<string, RunbookDefinition> = Object.fromEntries(
  [healthCheck, slowQueries, lockContention, connectionSaturation, cacheHitRate, errorSpike, vacuumBloat, rollback, walGrowth].map(
    (runbook) => [runbook.slug, runbook],
  ),
);
