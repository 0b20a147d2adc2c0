// Subtree fetches three ways over trees of several sizes, from a leaf-sized
// subtree to the whole tree, plus traversal of a table already in memory.
import { isDeepStrictEqual } from 'node:util';
import { createPool } from '../../../lib/db/connect.ts';
import {
  fetchSubtreeByLoadingAll,
  fetchSubtreeLevelByLevel,
  fetchSubtreeWithCte,
  loadAllCategories,
  traverseSubtree,
} from '../../../snippets/trees/fetch-subtree.ts';
import { measureInterleaved, type Measurement } from '../measure.ts';
import { measurementMetrics, ratio, type BenchSize, type Check, type Metric, type Suite } from '../context.ts';
import { buildTree, createTreeDatabase, pickRoot } from '../tree-data.ts';

type Target = number | 'quarter' | 'half' | 'all';
// Absolute subtree sizes show the fixed costs; quarter/half/all of the tree show
// what happens as the subtree approaches the whole table.
const PLAN: Record<BenchSize, { trees: number[]; subtrees: Target[] }> = {
  smoke: { trees: [200], subtrees: [10, 'all'] },
  quick: { trees: [1_000, 10_000], subtrees: [10, 100, 1_000, 'half', 'all'] },
  full: { trees: [1_000, 10_000, 100_000], subtrees: [10, 100, 1_000, 10_000, 'quarter', 'half', 'all'] },
};

function subtreeLabel(target: Target): string {
  return typeof target === 'number' ? `s${sizeLabel(target)}` : target;
}

function targetNodes(target: Target, nodes: number): number | 'all' {
  return target === 'quarter' ? nodes / 4 : target === 'half' ? nodes / 2 : target;
}

export const DB_VARIANTS = ['cte', 'load-all', 'per-level'] as const;

export function sizeLabel(n: number | 'all'): string {
  if (n === 'all') return 'all';
  return n >= 1000 ? `${n / 1000}k` : String(n);
}

/** Differences under this factor are within run-to-run noise on a shared machine: called a tie. */
export const TIE_RATIO = 1.15;

/** The fastest variant, or "a=b" when the runner-up is within TIE_RATIO of it. */
export function clearWinner(medians: Record<string, number>, variants: readonly string[]): string {
  const ranked = [...variants].sort((a, b) => medians[a]! - medians[b]!);
  const tied = ranked.filter((v) => medians[v]! <= medians[ranked[0]!]! * TIE_RATIO);
  return tied.join('=');
}

export interface TreePoint {
  tree: string;
  treeNodes: number;
  subtree: string;
  subtreeNodes: number;
  levels: number;
  medians: Record<string, number>;
  winner: string;
  /** Each database variant's median divided by the winner's. */
  ratios: Record<string, number>;
}

export const treesSuite: Suite = {
  name: 'trees',
  describe: 'subtree: recursive CTE vs load whole table + traverse vs one query per level',
  async run(context) {
    const plan = PLAN[context.size];
    const admin = createPool(context.adminUrl, 1);
    const measurements: Measurement[] = [];
    const checks: Check[] = [];
    const points: TreePoint[] = [];
    try {
      for (const nodes of plan.trees) {
        const tree = sizeLabel(nodes);
        const shape = buildTree(nodes);
        context.progress(`trees: building a ${tree}-node tree`);
        const database = await createTreeDatabase(admin, context.adminUrl, `${context.databasePrefix}_tree_${tree}`, shape);
        try {
          const { db, pool } = database;
          // The in-memory variant models an application that already holds the table.
          const loaded = await loadAllCategories(db);
          for (const target of plan.subtrees) {
            if (typeof target === 'number' && target >= nodes / 4) continue;
            const rootId = pickRoot(shape, targetNodes(target, nodes));
            const subtree = subtreeLabel(target);
            const variants: Record<string, () => Promise<unknown>> = {
              cte: () => fetchSubtreeWithCte(db, rootId),
              'load-all': () => fetchSubtreeByLoadingAll(db, rootId),
              'per-level': () => fetchSubtreeLevelByLevel(db, rootId),
              'in-memory': () => Promise.resolve(traverseSubtree(loaded, rootId)),
            };
            const reference = await variants.cte!();
            const others = await Promise.all(Object.values(variants).map((fn) => fn()));
            checks.push({
              name: `trees ${tree} ${subtree}: cte = load-all = per-level = in-memory`,
              equal: others.every((r) => isDeepStrictEqual(r, reference)),
            });
            context.progress(`trees ${tree} ${subtree} (${shape.subtreeSizes[rootId]} nodes): ${Object.keys(variants).join(', ')}`);
            const measured = await measureInterleaved(
              Object.entries(variants).map(([variant, run]) => ({
                spec: { id: `trees.${variant}.${tree}.${subtree}`, suite: 'trees', variant, params: { tree, subtree, root: rootId } },
                run,
              })),
              pool,
              context.budget,
            );
            measurements.push(...measured);
            const medians = Object.fromEntries(measured.map((m) => [m.variant, m.median]));
            const levels = measured.find((m) => m.variant === 'per-level')!.queries - 1;
            const winner = clearWinner(medians, DB_VARIANTS);
            points.push({
              tree,
              treeNodes: nodes,
              subtree,
              subtreeNodes: shape.subtreeSizes[rootId]!,
              levels,
              medians,
              winner,
              ratios: Object.fromEntries(DB_VARIANTS.map((v) => [v, ratio(medians[v]!, Math.min(...DB_VARIANTS.map((d) => medians[d]!)))])),
            });
          }
        } finally {
          await database.drop();
        }
      }
    } finally {
      await admin.end();
    }

    const metrics: Record<string, Metric> = measurementMetrics(measurements);
    for (const p of points) {
      const key = `trees.${p.tree}.${p.subtree}`;
      metrics[`${key}.winner`] = { value: p.winner, unit: 'text' };
      metrics[`${key}.nodes`] = { value: p.subtreeNodes, unit: 'count' };
      metrics[`${key}.levels`] = { value: p.levels, unit: 'count' };
      // Above 1: the CTE was faster by that factor; below 1: the other way was faster.
      metrics[`${key}.load-all-vs-cte`] = { value: ratio(p.medians['load-all']!, p.medians.cte!), unit: 'x' };
      metrics[`${key}.per-level-vs-cte`] = { value: ratio(p.medians['per-level']!, p.medians.cte!), unit: 'x' };
      metrics[`${key}.cte-vs-in-memory`] = { value: ratio(p.medians.cte!, p.medians['in-memory']!), unit: 'x' };
    }
    // Where the winner changes as the subtree grows, within each tree size.
    const crossovers: { tree: string; from: string; to: string; between: [string, string] }[] = [];
    for (const tree of new Set(points.map((p) => p.tree))) {
      const row = points.filter((p) => p.tree === tree);
      for (let i = 1; i < row.length; i++) {
        if (row[i]!.winner !== row[i - 1]!.winner) {
          crossovers.push({ tree, from: row[i - 1]!.winner, to: row[i]!.winner, between: [row[i - 1]!.subtree, row[i]!.subtree] });
        }
      }
    }
    return { measurements, checks, metrics, findings: { points, crossovers, tieRatio: TIE_RATIO } };
  },
};
