// Low cache hit rate: PostgreSQL's buffer-cache hit ratio per database and for the
// hottest tables, plus the application's own cache hit rate from its metrics endpoint.
// Both alerts judge a recent window (rate over 5 and 10 minutes), not lifetime totals,
// so every figure here is the change between two samples --window apart.
import type { Diagnosis, Finding, RunbookDefinition, Step } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { DATABASE_LIMITS, baseline } from '../../monitoring/baselines.ts';
import {
  PROMETHEUS_FLAG,
  checkAlerts,
  delta,
  formatLabels,
  promQuery,
  prometheusUrlFrom,
  ruleWindow,
  scrape,
  sumBy,
  withAlertCheck,
  type AlertCheck,
  type Sample,
} from '../kit/alert-check.ts';

/** Same limits as PostgresLowBufferCacheHitRatio and StorefrontLowCacheHitRate (monitoring/baselines.ts). */
const BUFFER_HIT_LIMIT = DATABASE_LIMITS.bufferCacheHitRatio;
const BUFFER_MIN_BLOCKS_PER_SECOND = DATABASE_LIMITS.bufferCacheMinBlocksPerSecond;
const APP_HIT_LIMIT = baseline('cacheHitRate').threshold;

const databaseHitRatio: Step = {
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

const hottestTables: Step = {
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

interface DatabaseRow {
  datname: string;
  blks_hit: number;
  blks_read: number;
  current: boolean;
  sampled_at: string;
}

interface TableRow {
  table_name: string;
  hits: number;
  reads: number;
}

const pct = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '-' : `${(ratio * 100).toFixed(2)}%`);

async function diagnoseCache(session: Session, windowMs: number, metricsUrl: string | undefined): Promise<Diagnosis> {
  const seconds = windowMs / 1000;
  const window = `${seconds}s`;
  const databasesBefore = await session.read<DatabaseRow>(databaseHitRatio);
  const tablesBefore = await session.read<TableRow>(hottestTables);
  const appBefore: Sample[] | string | undefined = metricsUrl
    ? await scrape(metricsUrl).catch((error: Error) => unreachable(metricsUrl, error))
    : undefined;
  await session.wait(windowMs);
  const databasesAfter = await session.read<DatabaseRow>(databaseHitRatio);
  const tablesAfter = await session.read<TableRow>(hottestTables);
  const appAfter: Sample[] | string | undefined = Array.isArray(appBefore)
    ? await scrape(metricsUrl!).catch((error: Error) => unreachable(metricsUrl!, error))
    : appBefore;

  const findings: Finding[] = [];
  const problems: string[] = [];
  const earlier = new Map(databasesBefore.map((row) => [row.datname, row]));
  const databases = databasesAfter.map((row) => {
    const before = earlier.get(row.datname);
    const hits = row.blks_hit - (before?.blks_hit ?? row.blks_hit);
    const reads = row.blks_read - (before?.blks_read ?? row.blks_read);
    const perSecond = (hits + reads) / seconds;
    return { datname: row.datname, current: row.current, hits, reads, perSecond, ratio: hits + reads ? hits / (hits + reads) : null };
  });
  databases.sort((a, b) => Number(b.current) - Number(a.current) || b.perSecond - a.perSecond);
  for (const row of databases.slice(0, 8)) {
    const judged = row.perSecond >= BUFFER_MIN_BLOCKS_PER_SECOND;
    const low = judged && (row.ratio ?? 1) < BUFFER_HIT_LIMIT;
    if (low && row.current) problems.push(`buffer-cache hit ratio of ${row.datname} is ${pct(row.ratio)} over the last ${window}`);
    const level = low ? (row.current ? 'problem' : 'info') : judged ? 'ok' : 'info';
    const note = judged ? '' : ` (under ${BUFFER_MIN_BLOCKS_PER_SECOND} blocks/s: idle, not judged, as the alert does)`;
    const elsewhere = low && !row.current ? `; low too: re-run with --database-url pointing at ${row.datname}` : '';
    findings.push({
      level,
      text: `database ${row.datname}${row.current ? ' (this one)' : ''}: ${pct(row.ratio)} of ${Math.round(row.perSecond)} block reads/s from the cache during ${window}${note}${elsewhere}`,
    });
  }

  const tableBefore = new Map(tablesBefore.map((row) => [row.table_name, row]));
  const tables = tablesAfter
    .map((row) => ({
      table_name: row.table_name,
      hits: row.hits - (tableBefore.get(row.table_name)?.hits ?? row.hits),
      reads: row.reads - (tableBefore.get(row.table_name)?.reads ?? row.reads),
    }))
    .filter((row) => row.hits + row.reads > 0)
    .sort((a, b) => b.reads - a.reads || b.hits - a.hits);
  for (const row of tables.slice(0, 5)) {
    findings.push({
      level: 'info',
      text: `table ${row.table_name}: ${row.reads} block(s) read from outside shared_buffers, ${row.hits} from it, during ${window}`,
    });
  }
  const worstTable = problems.length ? tables[0] : undefined;
  if (worstTable)
    findings.push({
      level: 'problem',
      text: `most blocks read from disk: ${worstTable.table_name} (${worstTable.reads} during ${window})`,
    });

  let app: Record<string, unknown> | undefined;
  if (!metricsUrl) {
    findings.push({ level: 'info', text: 'no --metrics-url or STOREFRONT_METRICS_URL given; the application cache was not checked' });
  } else if (typeof appAfter === 'string' || typeof appBefore === 'string') {
    const why = typeof appBefore === 'string' ? appBefore : typeof appAfter === 'string' ? appAfter : '';
    findings.push({ level: 'info', text: `${why}; only the database side was checked` });
  } else {
    const hits = delta(
      sumBy(appAfter!, 'storefront_cache_hits_total', 'cache'),
      sumBy(appBefore as Sample[], 'storefront_cache_hits_total', 'cache'),
    );
    const misses = delta(
      sumBy(appAfter!, 'storefront_cache_misses_total', 'cache'),
      sumBy(appBefore as Sample[], 'storefront_cache_misses_total', 'cache'),
    );
    const totalHits = [...hits.values()].reduce((a, b) => a + b, 0);
    const totalMisses = [...misses.values()].reduce((a, b) => a + b, 0);
    const ratio = totalHits + totalMisses ? totalHits / (totalHits + totalMisses) : null;
    const families = [...misses].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    app = { url: metricsUrl, hits: totalHits, misses: totalMisses, ratio, missesByCache: Object.fromEntries(families) };
    if (ratio === null)
      findings.push({
        level: 'info',
        text: `application cache at ${metricsUrl}: no reads during ${window}; not judged (the alert ignores a service with no traffic too)`,
      });
    else {
      const low = ratio < APP_HIT_LIMIT;
      findings.push({
        level: low ? 'problem' : 'ok',
        text: `application cache: ${pct(ratio)} hits during ${window} (${totalHits} hits, ${totalMisses} misses; baseline > ${APP_HIT_LIMIT * 100}%)`,
      });
      if (low) {
        const [family, count] = families[0] ?? ['-', 0];
        problems.push(`application cache hit rate is ${pct(ratio)} over the last ${window}, most misses in the "${family}" cache`);
        findings.push({
          level: 'problem',
          text: `most misses: the "${family}" cache (${count} of ${totalMisses}); ${
            families
              .slice(1, 4)
              .map(([name, n]) => `${name} ${n}`)
              .join(', ') || 'no other'
          }`,
        });
      }
    }
  }
  if (problems.length === 0)
    findings.push({
      level: 'ok',
      text: `no cache below its limit during ${window} (buffer cache ${BUFFER_HIT_LIMIT * 100}%, application ${APP_HIT_LIMIT * 100}%)`,
    });
  return {
    healthy: problems.length === 0,
    findings,
    summary: problems.length ? problems.join('; ') : `cache hit rates are above the limits during ${window}`,
    next: problems.length
      ? 'A low application rate right after a restart or deploy recovers on its own within minutes; a crawler or a burst of writes shows as one cache family with most misses. A low buffer-cache ratio: the table with the most reads above is being scanned; run the slow-queries runbook to find the statement.'
      : 'Nothing to do.',
    data: { windowMs, databases, tables: tables.slice(0, 10), app },
  };
}

function unreachable(url: string, error: Error): string {
  const cause = (error.cause as { code?: string } | undefined)?.code;
  return `application metrics not reachable at ${url} (${cause ?? error.message})`;
}

/** With Prometheus: the cache families behind a breached StorefrontLowCacheHitRate. */
async function drillDown(prometheusUrl: string | undefined, check: AlertCheck): Promise<Finding[]> {
  const alert = baseline('cacheHitRate').alert;
  if (!prometheusUrl || !check.breached.some((evaluation) => evaluation.alert === alert)) return [];
  const expr = `topk(3, sum by (job, cache) (rate(storefront_cache_misses_total[${ruleWindow(check, alert, '10m')}])))`;
  const rows = await promQuery(prometheusUrl, expr).catch(() => []);
  return rows.map((row) => ({
    level: 'info' as const,
    text: `misses by cache (${expr}): ${formatLabels(row.labels)} ${row.value.toPrecision(3)}/s`,
  }));
}

export const cacheHitRate: RunbookDefinition = {
  slug: 'cache-hit-rate',
  title: 'Low cache hit rate',
  purpose:
    "Samples the PostgreSQL buffer-cache hit ratio per database and per table, and the application cache hit rate from the Storefront metrics endpoint, twice --window apart, and judges the change with the alerts' limits. With --prometheus-url it evaluates the alerts as Prometheus does. It never changes anything.",
  flags: [
    {
      name: 'metrics-url',
      type: 'string',
      description: 'Storefront metrics endpoint (default: $STOREFRONT_METRICS_URL), e.g. http://127.0.0.1:3000/metrics.',
    },
    {
      name: 'window',
      type: 'duration',
      default: '5s',
      description: 'How long to watch the counters; the alerts use 5 and 10 minutes, this judges the same ratio now.',
    },
    PROMETHEUS_FLAG,
  ],
  steps: [databaseHitRatio, hottestTables],
  async diagnose(session, args) {
    const prometheusUrl = prometheusUrlFrom(args);
    const diagnosis = await diagnoseCache(
      session,
      args.window as number,
      (args['metrics-url'] as string | undefined) || process.env.STOREFRONT_METRICS_URL || undefined,
    );
    const check = await checkAlerts('cache-hit-rate', prometheusUrl);
    const merged = withAlertCheck(diagnosis, check, session.target.database);
    merged.findings.push(...(await drillDown(prometheusUrl, check)));
    return merged;
  },
};
