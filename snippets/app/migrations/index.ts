import type { HandbookMigration } from '../migrate.ts';
import * as createCatalog from './0001-create-catalog.ts';
import * as createOrders from './0002-create-orders.ts';
import * as createFeatureFlags from './0003-create-feature-flags.ts';
import * as indexOrdersByCustomer from './0004-index-orders-by-customer.ts';

// Listed explicitly rather than read from the folder, so the same code runs
// under zx, vitest and Astro with no file-system discovery. Names sort in order.
export const migrations: Record<string, HandbookMigration> = {
  '0001-create-catalog': createCatalog,
  '0002-create-orders': createOrders,
  '0003-create-feature-flags': createFeatureFlags,
  '0004-index-orders-by-customer': indexOrdersByCustomer,
};

/**
 * The schema both data layers and the data_layer flag need. The rollback runbook
 * never rolls back below it: without feature_flags, every request would fail.
 */
export const BASELINE_MIGRATIONS: readonly string[] = ['0001-create-catalog', '0002-create-orders', '0003-create-feature-flags'];
