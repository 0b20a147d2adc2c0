// Per-method stages on this file's clone, and the shadow stage inside the running service
// with a planted conversion bug: the mismatch metric rises, and the real counter values
// make the StorefrontShadowMismatches rule fire in promtool.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, test } from '../../harness/database.ts';
import { createKyselyRepository } from '../../../snippets/app/kysely-repository.ts';
import { setDataLayerFlag } from '../../../snippets/app/data-layer-switch.ts';
import type { StorefrontRepository } from '../../../snippets/app/storefront-repository.ts';
import {
  canaryBucket,
  createRolloutStorefront,
  layerFor,
  readStages,
  rollBackToLegacy,
  setMethodStage,
} from '../../../snippets/rollout/method-rollout.ts';
import { startStorefrontService } from '../../../snippets/service/storefront-service.ts';
import { ROLLOUT_ALERT_RULES } from '../../../monitoring/rollout-alerts.ts';
import { findExecutable, missingMessage, skipUnlessCi } from '../../support/executables.ts';
import { runCommand } from '../../support/run-command.ts';
import { evidencePath } from '../../support/evidence.ts';
import { runbook } from '../../runbooks/run-runbook.ts';

describe('per-method rollout stages', () => {
  test('two methods in different stages at once, each changed without a restart', async ({ database }) => {
    const served: string[] = [];
    const storefront = createRolloutStorefront({
      pool: database.pool,
      db: database.db,
      flagCacheMs: 0,
      inLayer: (layer, work) => {
        served.push(layer);
        return work();
      },
    });
    await setDataLayerFlag(database.db, 'legacy');
    await setMethodStage(database.db, 'getProduct', { stage: 'kysely' });
    await setMethodStage(database.db, 'listCustomerOrders', { stage: 'legacy' });
    const call = async (work: () => Promise<unknown>) => {
      served.length = 0;
      await work();
      return served[0];
    };
    expect(await call(() => storefront.getProduct(5))).toBe('kysely');
    expect(await call(() => storefront.listCustomerOrders(1))).toBe('legacy');
    // A method without a row of its own follows the global flag.
    expect(await call(() => storefront.topSellingProducts(3))).toBe('legacy');

    await setMethodStage(database.db, 'listCustomerOrders', { stage: 'kysely' });
    expect(await call(() => storefront.listCustomerOrders(1))).toBe('kysely');
    await rollBackToLegacy(database.db, 'getProduct');
    expect(await call(() => storefront.getProduct(5))).toBe('legacy');
    expect(await call(() => storefront.listCustomerOrders(1))).toBe('kysely');

    // The global switch written last wins: the rollback runbook's flip to legacy rolls back every method...
    await setDataLayerFlag(database.db, 'legacy');
    expect(await call(() => storefront.listCustomerOrders(1))).toBe('legacy');
    // ...and a method moved forward afterwards takes effect again.
    await setMethodStage(database.db, 'listCustomerOrders', { stage: 'kysely' });
    expect(await call(() => storefront.listCustomerOrders(1))).toBe('kysely');

    await setDataLayerFlag(database.db, 'kysely');
    await rollBackToLegacy(database.db, 'all');
    const stages = await readStages(database.db);
    expect(new Set(Object.values(stages).map((s) => s.stage))).toEqual(new Set(['legacy']));
  });

  test('the rollback runbook (flag only) puts every method back on legacy, whatever its own stage said', async ({ database }) => {
    await setDataLayerFlag(database.db, 'kysely');
    await setMethodStage(database.db, 'getProduct', { stage: 'kysely' });
    await setMethodStage(database.db, 'listProducts', { stage: 'canary', percent: 50 });
    await setMethodStage(database.db, 'listCustomerOrders', { stage: 'shadow' });
    const result = await runbook('rollback', ['--execute', '--yes', '--keep-schema'], { url: database.url });
    expect(result.code, result.output).toBe(0);
    const stages = await readStages(database.db);
    expect(Object.entries(stages).filter(([, stage]) => stage.stage !== 'legacy')).toEqual([]);
  });

  test('a canary at 10 % routes close to 10 % of a fixed key set, and one key always to the same layer', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `customer-${i + 1}`);
    const layers = (percent: number) => keys.map((key) => layerFor({ stage: 'canary', percent }, key));
    const at10 = layers(10);
    const share = at10.filter((layer) => layer === 'kysely').length / keys.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(layers(10)).toEqual(at10);
    // Raising the percentage only adds customers: nobody flips back to legacy.
    const at25 = layers(25);
    expect(at10.every((layer, i) => layer === 'legacy' || at25[i] === 'kysely')).toBe(true);
    expect(layerFor({ stage: 'canary', percent: 50 }, undefined)).toBe('legacy');
    expect(canaryBucket('customer-1')).toBe(canaryBucket('customer-1'));
    const counts = Object.fromEntries([1, 10, 25, 50].map((p) => [`canary:${p}`, layers(p).filter((l) => l === 'kysely').length]));
    await expect(`${JSON.stringify({ keys: keys.length, kyselyCustomers: counts }, null, 2)}\n`).toMatchFileSnapshot(
      evidencePath('rollout', 'canary-split.json'),
    );
  });
});

describe('the canary in the service', () => {
  test('the x-customer-id header picks the layer: the same customers get Kysely on every request, the share the hash says', async ({
    database,
  }) => {
    const service = await startStorefrontService({ databaseUrl: database.url, cacheTtlMs: 0, log: () => {} });
    try {
      await setDataLayerFlag(database.db, 'legacy');
      await setMethodStage(database.db, 'getProduct', { stage: 'canary', percent: 50 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const customers = Array.from({ length: 40 }, (_, i) => String(i + 1));
      const kyselyQueries = async () => {
        const text = await service.metrics.registry.metrics();
        return [...text.matchAll(/storefront_db_query_duration_seconds_count\{([^}]*)\} (\d+)/g)]
          .filter(([, labels]) => labels!.includes('operation="getProduct"') && labels!.includes('data_layer="kysely"'))
          .reduce((n, [, , count]) => n + Number(count), 0);
      };
      for (let round = 0; round < 2; round++) {
        for (const customer of customers) {
          const response = await fetch(`${service.url}/products/5`, { headers: { 'x-customer-id': customer } });
          expect(response.status).toBe(200);
        }
      }
      // getProduct sends one query: one Kysely query per request routed to Kysely, in both rounds.
      const expected = customers.filter((customer) => layerFor({ stage: 'canary', percent: 50 }, customer) === 'kysely').length;
      expect(expected).toBeGreaterThan(5);
      expect(expected).toBeLessThan(35);
      expect(await kyselyQueries()).toBe(2 * expected);
    } finally {
      await service.close();
    }
  });
});

describe('the shadow stage in the service', () => {
  test('a planted conversion bug raises the labelled mismatch metric, logs ids and paths only, and fires the alert in promtool', async ({
    database,
  }) => {
    // The bug: listProducts returns the fourth product one cent too expensive.
    const buggy = (db: Parameters<typeof createKyselyRepository>[0]): StorefrontRepository => {
      const real = createKyselyRepository(db);
      return {
        ...real,
        listProducts: async (filter, page) =>
          (await real.listProducts(filter, page)).map((p, i) => (i === 3 ? { ...p, priceCents: p.priceCents + 1 } : p)),
      };
    };
    const logged: string[] = [];
    const service = await startStorefrontService({
      databaseUrl: database.url,
      kysely: buggy,
      shadowSampleRate: 1,
      cacheTtlMs: 0,
      log: (line) => logged.push(line),
    });
    try {
      await setDataLayerFlag(database.db, 'legacy');
      await setMethodStage(database.db, 'listProducts', { stage: 'shadow' });
      await setMethodStage(database.db, 'getProduct', { stage: 'shadow' });
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // the service re-reads stages every second
      const placedBefore = await database.pool.query<{ n: number }>('select count(*)::int as n from orders');
      for (let i = 0; i < 5; i++) {
        expect((await fetch(`${service.url}/products?limit=10&after=${i * 10}`)).status).toBe(200);
        expect((await fetch(`${service.url}/products/${i + 1}`)).status).toBe(200);
      }
      // Writes are never shadowed: one order placed, once.
      expect(
        (
          await fetch(`${service.url}/orders`, {
            method: 'POST',
            body: JSON.stringify({ customerId: 2, lines: [{ productId: 3, quantity: 1 }] }),
          })
        ).status,
      ).toBe(201);
      await service.storefront.drainShadows();
      const placedAfter = await database.pool.query<{ n: number }>('select count(*)::int as n from orders');
      expect(placedAfter.rows[0]!.n).toBe(placedBefore.rows[0]!.n + 1);

      const text = await service.metrics.registry.metrics();
      const mismatches = Number(/storefront_shadow_mismatches_total\{method="listProducts",kind="value"\} (\d+)/.exec(text)?.[1]);
      expect(mismatches).toBe(5);
      expect(text).toMatch(/storefront_shadow_reads_total\{method="getProduct",outcome="match"\} 5/);
      // Counters exist from start-up at 0 (so rate() alerts work); getProduct's never moved.
      expect(text).not.toMatch(/storefront_shadow_mismatches_total\{method="getProduct"[^}]*\} [1-9]/);
      // Both layers' queries are labelled: legacy served, Kysely shadowed.
      expect(text).toMatch(/storefront_db_query_duration_seconds_count\{[^}]*operation="listProducts"[^}]*data_layer="legacy"/);
      expect(text).toMatch(/storefront_db_query_duration_seconds_count\{[^}]*operation="listProducts"[^}]*data_layer="kysely"/);

      const mismatchLines = logged.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'shadow-mismatch');
      expect(mismatchLines).toHaveLength(5);
      expect(mismatchLines[0]).toEqual({
        event: 'shadow-mismatch',
        method: 'listProducts',
        kind: 'value',
        keys: [],
        path: '[3].priceCents',
      });
      expect(logged.join('\n')).not.toMatch(/Lamp|Kettle|priceCents":\s*\d/);

      // The counter as Prometheus would scrape it, once a minute while the bug runs.
      const promtool = findExecutable('promtool');
      if (!promtool) {
        skipUnlessCi(missingMessage('promtool', 'sudo apt-get install -y prometheus'));
        return;
      }
      const rule = ROLLOUT_ALERT_RULES[0]!;
      const dir = mkdtempSync(join(tmpdir(), 'hb-shadow-alert-'));
      try {
        writeFileSync(
          join(dir, 'rules.yml'),
          stringify({
            groups: [
              { name: 'rollout', rules: [{ alert: rule.name, expr: rule.expr, for: rule.for, labels: { severity: rule.severity } }] },
            ],
          }),
        );
        const series = `storefront_shadow_mismatches_total{job="storefront",instance="storefront-1:3000",method="listProducts",kind="value"}`;
        writeFileSync(
          join(dir, 'test.yml'),
          stringify({
            rule_files: ['rules.yml'],
            evaluation_interval: '1m',
            tests: [
              {
                interval: '1m',
                input_series: [{ series, values: `0+${mismatches}x15` }],
                alert_rule_test: [
                  {
                    eval_time: '10m',
                    alertname: rule.name,
                    exp_alerts: [{ exp_labels: { severity: rule.severity, job: 'storefront', method: 'listProducts', kind: 'value' } }],
                  },
                ],
              },
            ],
          }),
        );
        const run = await runCommand(promtool, ['test', 'rules', 'test.yml'], { cwd: dir });
        expect(run.output).toContain('SUCCESS');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await service.close();
    }
  });
});
