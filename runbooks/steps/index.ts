// Every runbook's data by slug, for the site (RunbookSteps.astro, the index and diagnostic-tools
// pages): slugs, flags, steps and their SQL, and nothing that connects. Each runbook's logic
// is runbooks/logic/<slug>.ts, which only the CLI loads.
import type { RunbookData } from '../kit/definition.ts';
import { healthCheck } from './health-check.ts';
import { slowQueries } from './slow-queries.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';
import { walGrowth } from './wal-growth.ts';

/** Each runbook's flags keep their own types; read through this record they are FlagSpecs, which is all a page needs. */
export const RUNBOOKS: Record<string, RunbookData> = Object.fromEntries(
  [healthCheck, slowQueries, lockContention, connectionSaturation, cacheHitRate, errorSpike, vacuumBloat, rollback, walGrowth].map(
    (runbook: RunbookData) => [runbook.slug, runbook],
  ),
);
