// The data the "Migration progress" page reads (site/data/migration-progress.json): counts only,
// no line numbers, so an edit that moves code does not change the page. A test regenerates it
// and fails when the committed file differs.
import type { Inventory, InventoryConfig } from './inventory.ts';

export interface Progress {
  command: string;
  scope: string[];
  legacy: string[];
  totals: Inventory['totals'];
  byFunction: Inventory['byFunction'];
  byTable: Inventory['byTable'];
  sites: {
    file: string;
    function: string;
    kind: string;
    status: string;
    reason?: string;
    tables: string[];
    sql: 'literal' | 'dynamic' | 'builder';
  }[];
}

export function progressOf(inventory: Inventory, config: InventoryConfig): Progress {
  return {
    command: 'npm run inventory -- --progress',
    scope: config.paths,
    legacy: config.legacy ?? [],
    totals: inventory.totals,
    byFunction: inventory.byFunction,
    byTable: inventory.byTable,
    sites: inventory.sites.map((site) => ({
      file: site.file,
      function: site.function,
      kind: site.kind,
      status: site.status,
      ...(site.reason ? { reason: site.reason } : {}),
      tables: site.tables,
      sql: site.kind === 'kysely-builder' ? 'builder' : site.sql === undefined ? 'dynamic' : 'literal',
    })),
  };
}
