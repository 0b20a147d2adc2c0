// Low cache hit rate: PostgreSQL's buffer-cache hit ratio per database and for the
// hottest tables, plus the application's own cache hit rate from its metrics endpoint.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { DATABASE_LIMITS, baseline } from '../../monitoring/baselines.ts';

/** Same limits as PostgresLowBufferCacheHitRatio and StorefrontLowCacheHitRate (monitoring/baselines.ts). */
export const BUFFER_HIT_LIMIT = DATABASE_LIMITS.bufferCacheHitRatio;
export const APP_HIT_LIMIT = baseline('cacheHitRate').threshold;

export const databaseHitRatio: Step = {
  id: 'database-hit-ratio',
  title: 'Buffer-cache hit ratio per database',
  why: 'Every block read that misses shared_buffers goes to the OS cache or the disk; a falling ratio means a working set that no longer fits.',
  sql: `select datname, blks_hit, blks_read,
       round(blks_hit::numeric / nullif(blks_hit + blks_read, 0), 4)::float8 as hit_ratio,
       datname = current_database() as current
from pg_stat_database
where datname is not null
order by blks_hit + blks_read desc
limit 20`,
  kind: 'read',
  lookFor: 'hit_ratio of this database under the limit, with enough reads to matter.',
};

export const hottestTables: Step = {
  id: 'hottest-tables',
  title: 'The hottest tables and how often their blocks were found in the cache',
  why: 'The tables read most that still miss the cache are where an index, a smaller query or more memory helps.',
  sql: `select format('%I.%I', schemaname, relname) as table_name,
       heap_blks_hit + coalesce(idx_blks_hit, 0) as hits,
       heap_blks_read + coalesce(idx_blks_read, 0) as reads,
       round((heap_blks_hit + coalesce(idx_blks_hit, 0))::numeric
             / nullif(heap_blks_hit + heap_blks_read + coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0), 0), 4)::float8 as hit_ratio
from pg_statio_user_tables
order by heap_blks_hit + heap_blks_read + coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0) desc
limit 10`,
  kind: 'read',
  lookFor: 'A busy table with a low hit_ratio: sequential scans of a big table are the usual cause.',
};

export interface AppCacheReading {
  url: string;
  reachable: boolean;
  hits?: number;
  misses?: number;
  ratio?: number | null;
  error?: string;
}

/** Sums every series of a Prometheus counter in the text exposition format. */
export function sumCounter(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`).exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}

export async function readAppCache(url: string): Promise<AppCacheReading> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return { url, reachable: false, error: `HTTP ${response.status}` };
    const text = await response.text();
    const hits = sumCounter(text, 'storefront_cache_hits_total');
    const misses = sumCounter(text, 'storefront_cache_misses_total');
    return { url, reachable: true, hits, misses, ratio: hits + misses ? hits / (hits + misses) : null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { url, reachable: false, error: cause ?? (error as Error).message };
  }
}

export async function diagnoseCache(session: Session, minBlocks: number, metricsUrl: string | undefined): Promise<Diagnosis> {
  const databases = await session.read<{ datname: string; blks_hit: number; blks_read: number; hit_ratio: number | null; current: boolean }>(databaseHitRatio);
  const tables = await session.read<{ table_name: string; hits: number; reads: number; hit_ratio: number | null }>(hottestTables);
  const findings: Finding[] = [];
  const problems: string[] = [];
  const pct = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '-' : `${(ratio * 100).toFixed(2)}%`);
  for (const row of databases.slice(0, 8)) {
    const judged = row.current && row.blks_hit + row.blks_read >= minBlocks;
    const low = judged && (row.hit_ratio ?? 1) < BUFFER_HIT_LIMIT;
    if (low) problems.push(`buffer-cache hit ratio of ${row.datname} is ${pct(row.hit_ratio)}`);
    findings.push({ level: low ? 'problem' : 'info', text: `database ${row.datname}${row.current ? ' (this one)' : ''}: ${pct(row.hit_ratio)} of ${row.blks_hit + row.blks_read} block reads from the cache` });
  }
  const current = databases.find((row) => row.current);
  if (current && current.blks_hit + current.blks_read < minBlocks) {
    findings.push({ level: 'info', text: `this database has had only ${current.blks_hit + current.blks_read} block reads (< --min-blocks ${minBlocks}); too few to judge` });
  }
  for (const row of tables.slice(0, 5)) findings.push({ level: 'info', text: `table ${row.table_name}: ${pct(row.hit_ratio)} of ${row.hits + row.reads} block reads from the cache` });
  let app: AppCacheReading | undefined;
  if (metricsUrl) {
    app = await readAppCache(metricsUrl);
    if (!app.reachable) findings.push({ level: 'info', text: `application metrics not reachable at ${metricsUrl} (${app.error}); only the database side was checked` });
    else if (app.ratio === null) findings.push({ level: 'info', text: `application cache at ${metricsUrl}: no reads counted yet` });
    else {
      const low = (app.ratio ?? 1) < APP_HIT_LIMIT;
      if (low) problems.push(`application cache hit rate is ${pct(app.ratio)}`);
      findings.push({ level: low ? 'problem' : 'ok', text: `application cache: ${pct(app.ratio)} hits (${app.hits} hits, ${app.misses} misses since the app started; baseline > ${APP_HIT_LIMIT * 100}%)` });
    }
  } else {
    findings.push({ level: 'info', text: 'no --metrics-url or STOREFRONT_METRICS_URL given; the application cache was not checked' });
  }
  if (problems.length === 0) findings.push({ level: 'ok', text: `cache hit rates are above the limits (buffer cache ${BUFFER_HIT_LIMIT * 100}%, application ${APP_HIT_LIMIT * 100}%)` });
  return {
    healthy: problems.length === 0,
    findings,
    summary: problems.length ? problems.join('; ') : 'cache hit rates are healthy',
    next: problems.length
      ? 'A low application rate right after a restart or deploy recovers on its own within minutes; otherwise look for a burst of writes invalidating entries. A low buffer-cache ratio: run the slow-queries runbook to find the sequential scans on the hottest tables above.'
      : 'Nothing to do.',
    data: { databases, tables, app },
  };
}

export const cacheHitRate: RunbookDefinition = {
  slug: 'cache-hit-rate',
  title: 'Low cache hit rate',
  purpose: 'Shows the PostgreSQL buffer-cache hit ratio per database and for the hottest tables, and the application cache hit rate from the Storefront metrics endpoint when one is reachable. It never changes anything.',
  flags: [
    { name: 'metrics-url', type: 'string', description: 'Storefront metrics endpoint (default: $STOREFRONT_METRICS_URL), e.g. http://127.0.0.1:3000/metrics.' },
    { name: 'min-blocks', type: 'count', default: '10000', description: 'Judge a database only after this many block reads.' },
  ],
  steps: [databaseHitRatio, hottestTables],
  diagnose: (session, args) => diagnoseCache(session, args['min-blocks'] as number, (args['metrics-url'] as string | undefined) || process.env.STOREFRONT_METRICS_URL || undefined),
};
