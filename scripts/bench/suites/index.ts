import type { Suite } from '../context.ts';
import { treesSuite } from './trees.ts';
import { relationsSuite } from './relations.ts';
import { overheadSuite } from './overhead.ts';
import { migrationSuite } from './migration.ts';
import { cachingSuite } from './caching.ts';
import { serviceSuite } from './service.ts';
import { productionSuite } from './production.ts';

/** In run order. Caching and production go last among the database suites: their workloads write prices, stock and orders. */
export const SUITES: Suite[] = [treesSuite, relationsSuite, overheadSuite, migrationSuite, cachingSuite, productionSuite, serviceSuite];
