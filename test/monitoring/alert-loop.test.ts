// The alert loop end to end, on the binaries users run: a fault on a real PostgreSQL 15
// makes the alert fire in a real Prometheus scraping a real postgres_exporter and the
// Storefront service; the runbook its runbook_url names exits 1 naming the culprit;
// after the fix the alert resolves. A healthy load fires nothing. The rules are the
// handbook's, rendered with every window, `for` and time limit scaled by 1/60.
//   apt-get install postgresql-15 prometheus prometheus-postgres-exporter
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ALERT_RULES, alertRules } from '../../monitoring/alert-rules.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';
import { ROOT, runbook, type RunResult } from '../runbooks/run-runbook.ts';
import { MonitoringStack, TIME_SCALE, missingBinaries } from './stack.ts';

const missing = missingBinaries();
if (missing && process.env.CI === 'true') throw new Error(`${missing} (CI=true: the alert loop must run)`);

const stack = new MonitoringStack();
const clients: pg.Client[] = [];
const results: Record<string, unknown>[] = [];
const SCALED = alertRules(TIME_SCALE);

beforeAll(async () => {
  if (missing) return;
  await stack.start();
  stack.startLoad();
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
  if (!missing) await stack.stop();
  if (results.length) {
    mkdirSync(join(ROOT, '.handbook'), { recursive: true });
    writeFileSync(join(ROOT, '.handbook', 'alert-loop.json'), JSON.stringify({ date: new Date().toISOString(), timeScale: TIME_SCALE, results }, null, 2));
    console.table(results);
  }
}, 60_000);

async function connect(applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.databaseUrl, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

async function release(...ended: pg.Client[]): Promise<void> {
  for (const client of ended) {
    clients.splice(clients.indexOf(client), 1);
    await client.end().catch(() => undefined);
  }
}

/** The runbook runbook_url names, as on-call runs it: the slug from the alert's own annotation. */
function runbookOf(alert: { annotations: Record<string, string> }): string {
  const slug = /\/runbooks\/([a-z0-9-]+)\/$/.exec(alert.annotations.runbook_url ?? '')?.[1];
  if (!slug) throw new Error(`alert has no runbook_url: ${JSON.stringify(alert.annotations)}`);
  return slug;
}

const seconds = (minutes: number) => `${Math.round(minutes * 60 * TIME_SCALE * 1000)}ms`;

interface Loop {
  alert: string;
  fault: string;
  labels?: Record<string, string>;
  inject(): Promise<void>;
  runbookArgs: (slug: string) => string[];
  /** What the report must name: the culprit. */
  culprit: RegExp;
  fix(): Promise<void>;
  /** How on-call fixes it, in words, for the report table. */
  fixedBy: string;
}

async function loop(spec: Loop): Promise<void> {
  await spec.inject();
  const { seconds: toFire, alert } = await stack.waitFiring(spec.alert, spec.labels);
  const slug = runbookOf(alert);
  const result: RunResult = await runbook(slug, spec.runbookArgs(slug), { url: stack.databaseUrl, timeoutMs: 30_000 });
  const culprit = spec.culprit.exec(result.output)?.[0];
  await spec.fix();
  const toResolve = await stack.waitResolved(spec.alert);
  results.push({ alert: spec.alert, fault: spec.fault, firedAfterS: Number(toFire.toFixed(1)), runbook: slug, exit: result.code, culprit: culprit ?? '(not named)', fixedBy: spec.fixedBy, resolvedAfterS: Number(toResolve.toFixed(1)) });
  expect(result.code, result.output).toBe(1);
  expect(culprit, result.output).toBeDefined();
}

describe.skipIf(Boolean(missing))('the alert loop on real PostgreSQL 15, postgres_exporter and Prometheus', () => {
  test('the rules Prometheus loaded are the handbook rules, scaled', async () => {
    const body = (await (await fetch(`${stack.prometheusUrl}/api/v1/rules?type=alert`)).json()) as any;
    const loaded = body.data.groups.flatMap((group: any) => group.rules.map((rule: any) => rule.name)).sort();
    expect(loaded).toEqual(ALERT_RULES.map((rule) => rule.name).sort());
  });

  test('a healthy load fires nothing, not even a pending alert', async () => {
    // Warm the cache for as long as the longest window, then watch.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const started = Date.now();
    const seen = new Set<string>();
    while (Date.now() - started < 15_000) {
      for (const alert of await stack.alerts()) seen.add(`${alert.labels.alertname} ${alert.state} ${JSON.stringify(alert.labels)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const [requests] = await stack.query('sum(increase(storefront_http_request_duration_seconds_count{route!~"/metrics|/healthz"}[15s]))');
    results.push({ alert: '(none)', fault: 'healthy load', firedAfterS: '-', runbook: '-', exit: '-', culprit: `${Math.round(requests?.value ?? 0)} requests in 15 s`, fixedBy: '-', resolvedAfterS: '-' });
    expect(requests?.value ?? 0).toBeGreaterThan(100);
    expect([...seen]).toEqual([]);
  }, 40_000);

  test('a forgotten transaction: PostgresLongRunningTransaction → lock-contention names it', async () => {
    let idle: pg.Client | undefined;
    await loop({
      alert: 'PostgresLongRunningTransaction',
      fault: 'BEGIN; SELECT, then nothing (idle in transaction)',
      labels: { datname: 'storefront' },
      async inject() {
        idle = await connect('i14-forgotten-tx');
        await idle.query('begin');
        await idle.query('select count(*) from customers');
      },
      runbookArgs: () => ['--tx-older-than', `${DATABASE_LIMITS.longTransactionSeconds * TIME_SCALE}s`, '--prometheus-url', stack.prometheusUrl],
      culprit: /PID \d+ \(postgres, i14-forgotten-tx, idle in transaction\)/,
      fixedBy: 'the owner rolls back',
      async fix() {
        await idle!.query('rollback');
        await release(idle!);
      },
    });
  }, 60_000);

  test('a lock pile-up: PostgresLockWaits → lock-contention names the holder, and --execute ends it', async () => {
    let holder: pg.Client | undefined;
    const waiters: pg.Client[] = [];
    let holderPid = 0;
    await loop({
      alert: 'PostgresLockWaits',
      fault: 'one session holds a row lock, three queue behind it',
      labels: { datname: 'storefront' },
      async inject() {
        holder = await connect('i14-lock-holder');
        holderPid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
        await holder.query('begin');
        await holder.query('update customers set name = name where id = 1');
        for (let i = 0; i < 3; i++) {
          const waiter = await connect('i14-lock-waiter');
          waiters.push(waiter);
          void waiter.query('update customers set name = name where id = 1').catch(() => undefined);
        }
      },
      runbookArgs: () => ['--min-wait', seconds(DATABASE_LIMITS.lockWaitSeconds / 60), '--prometheus-url', stack.prometheusUrl],
      culprit: /PID \d+ \(postgres, i14-lock-holder, idle in transaction[^)]*\) blocks 3 session/,
      fixedBy: 'lock-contention --execute --yes (cancel, then terminate the holder)',
      async fix() {
        const fixed = await runbook('lock-contention', ['--min-wait', seconds(DATABASE_LIMITS.lockWaitSeconds / 60), '--execute', '--yes'], { url: stack.databaseUrl });
        expect(fixed.stdout).toContain(`terminated PID ${holderPid}`);
        await release(holder!, ...waiters);
      },
    });
  }, 60_000);
});
