// Low cache hit rate, the logic: judge the buffer cache per database and table, and the
// application cache, over --window, and evaluate the alerts. The steps and flags are
// runbooks/steps/cache-hit-rate.ts.
import { defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import type { Session } from '../kit/session.ts';
import { baseline } from '../../monitoring/baselines.ts';
import {
  checkAlerts,
  delta,
  formatLabels,
  promQuery,
  prometheusUrlFrom,
  ruleWindow,
  sumBy,
  withAlertCheck,
  type AlertCheck,
} from '../kit/alert-check.ts';
import { sampleWindow, type WindowArgs } from '../kit/metrics-window.ts';
import {
  BUFFER_HIT_LIMIT,
  BUFFER_MIN_BLOCKS_PER_SECOND,
  cacheHitRate as data,
  databaseHitRatio,
  hottestTables,
} from '../steps/cache-hit-rate.ts';

/** Same limit as StorefrontLowCacheHitRate (monitoring/baselines.ts). */
const APP_HIT_LIMIT = baseline('cacheHitRate').threshold;

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

interface DatabaseWindow {
  datname: string;
  current: boolean;
  hits: number;
  reads: number;
  perSecond: number;
  ratio: number | null;
}

interface AppCache {
  url: string;
  hits: number;
  misses: number;
  ratio: number | null;
  missesByCache: Record<string, number>;
}

/** The diagnosis's data (--json `data`): each figure is the change over the window. */
interface CacheData {
  windowMs: number;
  databases: DatabaseWindow[];
  tables: TableRow[];
  app: AppCache | undefined;
}

async function diagnoseCache(session: Session, args: WindowArgs): Promise<Diagnosis<CacheData>> {
  const sampled = await sampleWindow(session, args, async () => ({
    databases: await session.read<DatabaseRow>(databaseHitRatio),
    tables: await session.read<TableRow>(hottestTables),
  }));
  const { before, after, windowMs, window, metrics } = sampled;
  const seconds = windowMs / 1000;

  const findings: Finding[] = [];
  const problems: string[] = [];
  const earlier = new Map(before.databases.map((row) => [row.datname, row]));
  const databases = after.databases.map((row) => {
    const previous = earlier.get(row.datname);
    const hits = row.blks_hit - (previous?.blks_hit ?? row.blks_hit);
    const reads = row.blks_read - (previous?.blks_read ?? row.blks_read);
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

  const tableBefore = new Map(before.tables.map((row) => [row.table_name, row]));
  const tables = after.tables
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

  let app: AppCache | undefined;
  if (metrics.state === 'not-asked') {
    findings.push({ level: 'info', text: 'no --metrics-url or STOREFRONT_METRICS_URL given; the application cache was not checked' });
  } else if (metrics.state === 'unreachable') {
    findings.push({ level: 'info', text: `${metrics.message}; only the database side was checked` });
  } else {
    const metricsUrl = metrics.url;
    const hits = delta(
      sumBy(metrics.after, 'storefront_cache_hits_total', 'cache'),
      sumBy(metrics.before, 'storefront_cache_hits_total', 'cache'),
    );
    const misses = delta(
      sumBy(metrics.after, 'storefront_cache_misses_total', 'cache'),
      sumBy(metrics.before, 'storefront_cache_misses_total', 'cache'),
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

export const cacheHitRate = defineRunbook(data, {
  async diagnose(session, args) {
    const prometheusUrl = prometheusUrlFrom(args);
    const diagnosis = await diagnoseCache(session, args);
    const check = await checkAlerts('cache-hit-rate', prometheusUrl);
    const merged = withAlertCheck(diagnosis, check, session.target.database);
    merged.findings.push(...(await drillDown(prometheusUrl, check)));
    return merged;
  },
});
