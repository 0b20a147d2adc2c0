// The monitoring stack on real binaries, for the alert-loop test: a throwaway Debian
// PostgreSQL 15 cluster, Debian's postgres_exporter with the handbook's queries file,
// the Storefront service, and Prometheus loading the handbook's rules with their
// windows scaled down (a minute lasts a second). Nothing here touches the shared
// server on 5432.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { alertRules } from '../../monitoring/alert-rules.ts';
import { GENERATED_FILES, MONITORING_DIR, renderRules } from '../../monitoring/generate.ts';
import { DebianCluster, debianBinariesPresent, DEBIAN_PG_INSTALL } from '../../scripts/db/debian-cluster.ts';
import { freePort } from '../../lib/free-port.ts';
import { prepareServiceDatabase } from '../../scripts/service/prepare-database.ts';
import { requestPaths } from '../../scripts/load/service-load.ts';
import { startStorefrontService, type StorefrontService } from '../../snippets/service/storefront-service.ts';
import { findExecutable } from '../support/executables.ts';

/** A minute of production time lasts this long in the test. */
export const TIME_SCALE = 1 / 60;

const STACK_INSTALL = `${DEBIAN_PG_INSTALL} prometheus prometheus-postgres-exporter`;

/** What is missing to run the stack, or undefined when everything is installed. */
export function missingBinaries(): string | undefined {
  const missing = [
    debianBinariesPresent() ? '' : 'postgresql-15',
    findExecutable('prometheus') ? '' : 'prometheus',
    findExecutable('prometheus-postgres-exporter') ? '' : 'prometheus-postgres-exporter',
  ].filter(Boolean);
  return missing.length ? `${missing.join(', ')} not installed; install with: ${STACK_INSTALL}` : undefined;
}

export interface FiringAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}

export class MonitoringStack {
  cluster!: DebianCluster;
  service!: StorefrontService;
  prometheusUrl = '';
  exporterUrl = '';
  databaseUrl = '';
  private children: ChildProcess[] = [];
  private dir = '';
  private loadRunning = false;
  private loadDone: Promise<void> | undefined;

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'handbook-alert-loop-'));
    this.cluster = await DebianCluster.create({
      settings: {
        shared_preload_libraries: "'pg_stat_statements'",
        max_connections: 30,
        // Small, so one scan of a 12 MB table misses the cache (a scan larger than a quarter
        // of shared_buffers reads through a small ring), while the Storefront data fits.
        shared_buffers: "'16MB'",
        deadlock_timeout: "'100ms'",
        autovacuum_naptime: "'1s'",
      },
    });
    await this.cluster.start();
    const prepared = await prepareServiceDatabase(this.cluster.url('postgres'), 'storefront', { seed: 42, scale: 1 });
    this.databaseUrl = prepared.url;
    await this.cluster.query('create extension if not exists pg_stat_statements', [], 'storefront');
    // A slot for a standby that has not connected yet and reserves no WAL: the slot metrics
    // exist, as on a primary with a replica, and PostgresReplicationSlotRetainingWal stays silent.
    await this.cluster.query(`select pg_create_physical_replication_slot('standby_1')`);

    const exporterPort = await freePort();
    this.exporterUrl = `http://127.0.0.1:${exporterPort}/metrics`;
    this.spawn(
      'prometheus-postgres-exporter',
      [
        `--web.listen-address=127.0.0.1:${exporterPort}`,
        `--extend.query-path=${join(MONITORING_DIR, GENERATED_FILES.exporterQueries)}`,
        '--log.level=error',
      ],
      {
        DATA_SOURCE_NAME: `${this.databaseUrl}?sslmode=disable`,
      },
    );

    // The cache alert judges hits per request. The load run that set the baseline sends
    // hundreds of requests a second against a 30 s TTL; this test sends a few dozen, so
    // it keeps entries longer to see the same share of repeat requests.
    this.service = await startStorefrontService({
      databaseUrl: this.databaseUrl,
      port: 0,
      host: '127.0.0.1',
      poolSize: 8,
      cacheTtlMs: 10 * 60_000,
    });

    const promPort = await freePort();
    this.prometheusUrl = `http://127.0.0.1:${promPort}`;
    writeFileSync(join(this.dir, 'rules.yml'), renderRules(alertRules(TIME_SCALE)));
    writeFileSync(
      join(this.dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
        rule_files: ['rules.yml'],
        scrape_configs: [
          { job_name: 'storefront', static_configs: [{ targets: [new URL(this.service.url).host] }] },
          // With PostgreSQL down, the exporter takes about a second to answer pg_up 0; a scrape
          // that times out first leaves no pg_up at all and PostgresDown could never fire.
          {
            job_name: 'postgres',
            scrape_interval: '2s',
            scrape_timeout: '1900ms',
            static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
          },
        ],
      }),
    );
    this.spawn('prometheus', [
      `--config.file=${join(this.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=error',
    ]);
    await this.until(async () => (await fetch(`${this.prometheusUrl}/-/ready`)).ok, 30_000, 'Prometheus did not become ready');
    await this.until(
      async () => (await this.query('up')).filter((row) => row.value === 1).length === 2,
      30_000,
      'Prometheus does not see both targets up',
    );
  }

  private spawn(command: string, args: string[], env: Record<string, string> = {}): void {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000)));
    child.on('exit', (code) => {
      if (code && code !== 0 && this.children.includes(child)) console.error(`${command} exited ${code}: ${tail}`);
    });
    this.children.push(child);
  }

  async until(check: () => Promise<boolean>, timeoutMs: number, message: string): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      try {
        if (await check()) return (Date.now() - started) / 1000;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    throw new Error(`${message} within ${timeoutMs / 1000}s`);
  }

  async query(expr: string): Promise<{ labels: Record<string, string>; value: number }[]> {
    const body = (await (await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result.map((row) => ({ labels: row.metric, value: Number(row.value[1]) }));
  }

  async alerts(): Promise<FiringAlert[]> {
    const body = (await (await fetch(`${this.prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: FiringAlert[] } };
    return body.data.alerts;
  }

  /** Seconds until Prometheus reports `name` firing (with `labels`, when given). */
  async waitFiring(
    name: string,
    labels: Record<string, string> = {},
    timeoutMs = 90_000,
  ): Promise<{ seconds: number; alert: FiringAlert }> {
    let found: FiringAlert | undefined;
    const seconds = await this.until(
      async () => {
        found = (await this.alerts()).find(
          (alert) =>
            alert.state === 'firing' &&
            alert.labels.alertname === name &&
            Object.entries(labels).every(([key, value]) => alert.labels[key] === value),
        );
        return found !== undefined;
      },
      timeoutMs,
      `${name} did not fire`,
    );
    return { seconds, alert: found! };
  }

  /** Seconds until no alert called `name` is pending or firing. */
  waitResolved(name: string, timeoutMs = 60_000): Promise<number> {
    return this.until(
      async () => !(await this.alerts()).some((alert) => alert.labels.alertname === name),
      timeoutMs,
      `${name} did not resolve`,
    );
  }

  /**
   * The load run's warm-up: the same mix, a different draw, as fast as eight clients go.
   * The cache baseline describes a service in steady state; after 2000 requests this mix
   * hits about 65 %, after 6000 about 82 % (the load run measures the same after its warm-up).
   */
  async warmUp(requests = 6000): Promise<void> {
    const paths = requestPaths(requests, 99);
    let next = 0;
    const worker = async () => {
      while (next < paths.length)
        await fetch(`${this.service.url}${paths[next++]!}`)
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  /**
   * Healthy background traffic: the load run's request mix, two at a time, paced
   * to a few dozen requests a second so that it leaves CPU for everyone else.
   */
  startLoad(): void {
    this.loadRunning = true;
    const paths = requestPaths(20_000, 11);
    let next = 0;
    const worker = async () => {
      while (this.loadRunning) {
        const path = paths[next++ % paths.length]!;
        await fetch(`${this.service.url}${path}`)
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
        await sleep(25);
      }
    };
    this.loadDone = Promise.all([worker(), worker()]).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.loadRunning = false;
    await this.loadDone;
    await this.service?.close().catch(() => undefined);
    const children = this.children;
    this.children = [];
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve))),
    );
    await this.cluster?.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
