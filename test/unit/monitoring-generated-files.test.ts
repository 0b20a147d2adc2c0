import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { BASELINES, HANDBOOK_URL, formatThreshold } from '../../monitoring/baselines.ts';
import { SITE_ADDRESS } from '../../lib/site-address.ts';
import { ALERT_RULES, alertsWithoutRule } from '../../monitoring/alert-rules.ts';
import { GENERATED_FILES, MONITORING_DIR, driftedFiles, generatedContents } from '../../monitoring/generate.ts';
import { customMetricNames } from '../../monitoring/postgres-exporter.ts';

const committed = (path: string) => readFileSync(join(MONITORING_DIR, path), 'utf8');

// Other pages and runbooks link to these names and pages; renaming one breaks them.
const FIXED_ALERTS: Record<string, string> = {
  StorefrontHighResponseTime: '/runbooks/slow-queries/',
  StorefrontSlowQueries: '/runbooks/slow-queries/',
  StorefrontLowCacheHitRate: '/runbooks/cache-hit-rate/',
  StorefrontHighErrorRate: '/runbooks/error-spike/',
  PostgresDown: '/runbooks/database-down/',
  PostgresConnectionsNearLimit: '/runbooks/connection-saturation/',
  PostgresLongRunningTransaction: '/runbooks/lock-contention/',
  PostgresLockWaits: '/runbooks/lock-contention/',
  PostgresLowBufferCacheHitRatio: '/runbooks/cache-hit-rate/',
  PostgresDeadlocksIncreasing: '/runbooks/error-spike/',
  PostgresDeadTuplesHigh: '/runbooks/vacuum-bloat/',
  PostgresReplicationSlotRetainingWal: '/runbooks/wal-growth/',
  PostgresArchiveFailing: '/runbooks/wal-growth/',
  PostgresWalDirectoryLarge: '/runbooks/wal-growth/',
  StorefrontShadowMismatches: '/runbooks/rollback/',
};

describe('the generated monitoring files', () => {
  test('match what monitoring/generate.ts produces (run npm run monitoring:generate after changing a definition)', () => {
    expect(driftedFiles()).toEqual([]);
  });

  test('the drift check notices a hand edit', () => {
    const rules = generatedContents()[GENERATED_FILES.rules]!;
    expect(rules.replace('for: 5m\n', 'for: 6m\n')).not.toBe(committed(GENERATED_FILES.rules));
    expect(committed(GENERATED_FILES.rules)).toBe(rules);
  });

  test('keep the agreed alert names, each linking to its runbook on the published handbook', () => {
    const groups = parse(committed(GENERATED_FILES.rules)).groups as {
      rules: { alert: string; labels: { severity: string }; annotations: Record<string, string> }[];
    }[];
    const rules = groups.flatMap((group) => group.rules);
    expect(Object.fromEntries(rules.map((rule) => [rule.alert, rule.annotations.runbook_url]))).toEqual(
      Object.fromEntries(Object.entries(FIXED_ALERTS).map(([name, path]) => [name, `${HANDBOOK_URL}${path}`])),
    );
    for (const rule of rules) {
      expect(rule.labels.severity, rule.alert).toMatch(/^SEV[1-4]$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toBeTruthy();
    }
    const errorRule = rules.find((rule) => rule.alert === 'StorefrontHighErrorRate')!;
    expect(errorRule.annotations.description).toContain(`${HANDBOOK_URL}/runbooks/rollback/`);
  });

  test('link to the site URL that astro.config.mjs publishes', () => {
    // One address feeds both: the config publishes SITE_ADDRESS, the alerts link to HANDBOOK_URL.
    const config = readFileSync(join(MONITORING_DIR, '..', 'astro.config.mjs'), 'utf8');
    expect(config).toMatch(/site: SITE_ADDRESS\b/);
    expect(HANDBOOK_URL).toBe(SITE_ADDRESS);
  });

  test('alert on each baseline at exactly its threshold', () => {
    expect(alertsWithoutRule()).toEqual([]);
    for (const entry of BASELINES) {
      const rule = ALERT_RULES.find((candidate) => candidate.name === entry.alert)!;
      const comparison = entry.healthyWhen === 'below' ? '>' : '<';
      expect(rule.expr, entry.id).toContain(` ${comparison} ${entry.threshold}`);
    }
  });

  test('give the Grafana dashboard one panel per baseline, with its threshold as the red/green boundary', () => {
    const dashboard = JSON.parse(committed(GENERATED_FILES.dashboard));
    const panels = dashboard.panels.filter((panel: { type: string }) => panel.type === 'timeseries');
    // One per alert, plus the rollout's legacy-vs-Kysely latency panel (monitoring/rollout-alerts.ts).
    expect(panels).toHaveLength(ALERT_RULES.length + 1);
    expect(panels.some((panel: { targets: { expr: string }[] }) => panel.targets[0]!.expr.includes('sum by (data_layer, le)'))).toBe(true);
    for (const entry of BASELINES) {
      const panel = panels.find((candidate: { title: string }) => candidate.title.includes(`(baseline ${formatThreshold(entry)})`));
      expect(panel, entry.id).toBeDefined();
      const steps = panel.fieldConfig.defaults.thresholds.steps as { color: string; value: number | null }[];
      expect(steps[1]).toEqual({ color: entry.healthyWhen === 'below' ? 'red' : 'green', value: entry.threshold });
      expect(panel.fieldConfig.defaults.custom.thresholdsStyle.mode).toBe('line+area');
    }
  });

  // The real exporter is scraped in alert-loop.cluster.test.ts; this catches a typo without binaries.
  test('use only metric names that postgres_exporter 0.11 emits by default or the shipped queries file adds', () => {
    const EXPORTER_DEFAULTS = new Set([
      'pg_up',
      'pg_stat_activity_count',
      'pg_settings_max_connections',
      'pg_settings_superuser_reserved_connections',
      'pg_stat_activity_max_tx_duration',
      'pg_stat_database_blks_hit',
      'pg_stat_database_blks_read',
      'pg_stat_database_deadlocks',
      'pg_locks_count',
      'pg_stat_archiver_failed_count',
      'pg_stat_archiver_last_archive_age',
    ]);
    const available = new Set([...EXPORTER_DEFAULTS, ...customMetricNames()]);
    for (const rule of ALERT_RULES.filter((candidate) => candidate.group === 'postgresql')) {
      const used = rule.expr.match(/\bpg_[a-z_]+/g) ?? [];
      expect(used.length, rule.name).toBeGreaterThan(0);
      for (const metric of used) expect(available, `${rule.name} uses ${metric}`).toContain(metric);
    }
  });

  test('the queries file defines the dead-tuple and lock-wait metrics the rules read', () => {
    expect(customMetricNames()).toEqual(
      expect.arrayContaining(['pg_stat_user_tables_n_dead_tup', 'pg_stat_user_tables_n_live_tup', 'pg_lock_waits_oldest_seconds']),
    );
  });
});
