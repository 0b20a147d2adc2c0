// The Storefront's inventory, as the "Migration progress" page and the baseline record it.
// The page reads site/data/migration-progress.json; this test regenerates it in memory and fails
// when the committed file differs, so the page can never show numbers the code no longer has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, parseBaseline } from '../../../scripts/inventory/baseline.ts';
import { PROGRESS_FILE, STOREFRONT_CONFIG, readSources } from '../../../scripts/inventory/cli.ts';
import { buildInventory, type InventoryConfig } from '../../../scripts/inventory/inventory.ts';
import { progressOf } from '../../../scripts/inventory/progress.ts';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';

const config = JSON.parse(readFileSync(join(PROJECT_ROOT, STOREFRONT_CONFIG), 'utf8')) as InventoryConfig;

describe('the Storefront inventory', async () => {
  const inventory = await buildInventory(readSources(config.paths, PROJECT_ROOT), config);

  it('matches site/data/migration-progress.json (refresh it with `npm run inventory -- --progress`)', () => {
    const committed = JSON.parse(readFileSync(join(PROJECT_ROOT, PROGRESS_FILE), 'utf8'));
    expect(committed, 'the progress page is stale: run `npm run inventory -- --progress` and commit the file').toEqual(
      progressOf(inventory, config),
    );
  });

  it('has no raw call site beyond the committed baseline', () => {
    const baseline = parseBaseline(readFileSync(join(PROJECT_ROOT, config.baseline!), 'utf8'), config.baseline!);
    const { added } = compareWithBaseline(inventory.sites, baseline);
    expect(
      added.map((entry) => `${entry.key}: ${entry.now} > ${entry.baseline}`),
      'convert it to Kysely, or allow it with a reason',
    ).toEqual([]);
  });

  it('finds raw SQL only in the legacy layer and the allow-list', () => {
    const outside = inventory.sites.filter((site) => site.status === 'raw' && !config.legacy!.includes(site.file));
    expect(outside).toEqual([]);
  });

  it('finds every repository method in both implementations', () => {
    const methods = [
      'getProduct',
      'listProducts',
      'getCategorySubtree',
      'getCategoryPath',
      'listCustomerOrders',
      'topSellingProducts',
      'placeOrder',
      'updateProductPrice',
    ];
    for (const method of methods) {
      const row = inventory.byFunction.find((entry) => entry.function === method);
      expect(row, method).toBeDefined();
      expect(row!.raw, `${method} in the legacy layer`).toBeGreaterThan(0);
      expect(row!.kysely, `${method} in the Kysely layer`).toBeGreaterThan(0);
    }
  });
});
