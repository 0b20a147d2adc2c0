// Per-method rollout: each repository method has its own stage, stored in feature_flags
// as `data_layer:<method>` and read again every `flagCacheMs`, so one UPDATE moves a
// method forward or back with no restart. A method without a row of its own follows the
// global `data_layer` row (the switch from data-layer-switch.ts), so the old single flag
// keeps working and rolling "everything" back is still one row.
//
//   legacy      legacy answers
//   shadow      legacy answers; a sample of reads is asked of Kysely too and compared
//   canary:<N>  N % of request keys get Kysely, the rest legacy; one key always gets the same one
//   kysely      Kysely answers
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../app/database.ts';
import { DATA_LAYER_FLAG } from '../app/data-layer-switch.ts';
import { createLegacyRepository } from '../app/legacy-repository.ts';
import { createKyselyRepository } from '../app/kysely-repository.ts';
import type { DataLayer, StorefrontRepository } from '../app/storefront-repository.ts';
import type { RetryOptions } from '../app/retry.ts';
import { withShadowReads, READ_METHODS, type ShadowReport } from './shadow-read.ts';

export type Method = keyof StorefrontRepository;
export const METHODS = [...READ_METHODS, 'placeOrder', 'updateProductPrice'] as const satisfies readonly Method[];

// #region stages
export type Stage = { stage: 'legacy' } | { stage: 'shadow' } | { stage: 'canary'; percent: number } | { stage: 'kysely' };

export function parseStage(value: string | undefined): Stage | undefined {
  if (value === 'legacy' || value === 'shadow' || value === 'kysely') return { stage: value };
  const canary = /^canary:(\d{1,3})$/.exec(value ?? '');
  if (canary && Number(canary[1]) <= 100) return { stage: 'canary', percent: Number(canary[1]) };
  return undefined;
}

export function formatStage(stage: Stage): string {
  return stage.stage === 'canary' ? `canary:${stage.percent}` : stage.stage;
}

export const methodFlag = (method: Method) => `${DATA_LAYER_FLAG}:${method}`;

/**
 * Every method's stage: the newer of its own row and the global row, else legacy (the
 * known-good path). "Newer wins" makes the global switch a kill switch: setting
 * `data_layer = legacy` (what the rollback runbook does) overrides every method row
 * written before it, and moving a method forward afterwards takes effect again.
 */
export async function readStages(db: Kysely<Database>): Promise<Record<Method, Stage>> {
  const rows = await db
    .selectFrom('feature_flags')
    .select(['key', 'value', 'updated_at'])
    .where((eb) => eb.or([eb('key', '=', DATA_LAYER_FLAG), eb('key', 'like', `${DATA_LAYER_FLAG}:%`)]))
    .execute();
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const globalRow = byKey.get(DATA_LAYER_FLAG);
  const global = parseStage(globalRow?.value) ?? { stage: 'legacy' };
  const stageOf = (method: Method): Stage => {
    const own = byKey.get(methodFlag(method));
    const ownStage = parseStage(own?.value);
    if (!own || !ownStage) return global;
    return globalRow && new Date(globalRow.updated_at) > new Date(own.updated_at) ? global : ownStage;
  };
  return Object.fromEntries(METHODS.map((method) => [method, stageOf(method)])) as Record<Method, Stage>;
}

export async function setMethodStage(db: Kysely<Database>, method: Method, stage: Stage): Promise<void> {
  const value = formatStage(stage);
  await db
    .insertInto('feature_flags')
    .values({ key: methodFlag(method), value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql`now()` }))
    .execute();
}

// #region roll-back
/** Rolls one method back to legacy, or every method (each row and the global one). */
export async function rollBackToLegacy(db: Kysely<Database>, method: Method | 'all'): Promise<void> {
  if (method !== 'all') return setMethodStage(db, method, { stage: 'legacy' });
  await db.transaction().execute(async (trx) => {
    for (const each of METHODS) await setMethodStage(trx, each, { stage: 'legacy' });
    await trx
      .insertInto('feature_flags')
      .values({ key: DATA_LAYER_FLAG, value: 'legacy' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'legacy', updated_at: sql`now()` }))
      .execute();
  });
}
// #endregion roll-back
// #endregion stages

// #region canary
/** 0-99, from the key alone (FNV-1a): a customer lands in the same bucket for every method and every process. */
export function canaryBucket(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

/** Raising N only adds keys: a key in the canary at 10 % stays in it at 20 %. */
export function layerFor(stage: Stage, key: string | undefined): DataLayer {
  if (stage.stage === 'kysely') return 'kysely';
  if (stage.stage !== 'canary') return 'legacy';
  // No key (a health probe, a batch job): the safe side.
  if (key === undefined) return 'legacy';
  return canaryBucket(key) < stage.percent ? 'kysely' : 'legacy';
}
// #endregion canary

export interface RolloutOptions {
  pool: pg.Pool;
  db: Kysely<Database>;
  /** How long a reading of the stages is reused. */
  flagCacheMs?: number;
  /** The key of the request being served (a customer id), for canary assignment. */
  requestKey?: () => string | undefined;
  /** Runs an implementation's call with its layer known, e.g. to label its queries. */
  inLayer?: <T>(layer: DataLayer, work: () => Promise<T>) => Promise<T>;
  shadow?: { sampleRate: number; timeoutMs?: number; maxInFlight?: number; report: (report: ShadowReport) => void };
  /** Replaces the Kysely implementation (tests plant a conversion bug here). */
  kysely?: StorefrontRepository;
  /** Retry policy for the Kysely repository's transactions. */
  retry?: RetryOptions;
}

export interface RolloutStorefront extends StorefrontRepository {
  stages(): Promise<Record<Method, Stage>>;
  /** Resolves when running shadow reads have settled. */
  drainShadows(): Promise<void>;
}

// #region router
export function createRolloutStorefront(options: RolloutOptions): RolloutStorefront {
  const { flagCacheMs = 1000, requestKey = () => undefined, inLayer = (_layer, work) => work() } = options;
  const labelled = (layer: DataLayer, repo: StorefrontRepository): StorefrontRepository =>
    Object.fromEntries(
      METHODS.map((m) => [m, (...args: unknown[]) => inLayer(layer, () => (repo[m] as (...a: unknown[]) => Promise<unknown>)(...args))]),
    ) as unknown as StorefrontRepository;
  const implementations: Record<DataLayer, StorefrontRepository> = {
    legacy: labelled('legacy', createLegacyRepository(options.pool)),
    kysely: labelled('kysely', options.kysely ?? createKyselyRepository(options.db, { retry: options.retry })),
  };
  // Shadow stage: legacy answers, Kysely is asked afterwards (time-boxed, sampled, bounded).
  const shadowed = withShadowReads({
    primary: implementations.legacy,
    shadow: implementations.kysely,
    sampleRate: options.shadow?.sampleRate ?? 0,
    timeoutMs: options.shadow?.timeoutMs ?? 1000,
    maxInFlight: options.shadow?.maxInFlight ?? 4,
    report: options.shadow?.report ?? (() => {}),
  });

  let cached: { stages: Record<Method, Stage>; readAt: number } | undefined;
  async function stages() {
    const now = Date.now();
    if (!cached || now - cached.readAt >= flagCacheMs) cached = { stages: await readStages(options.db), readAt: now };
    return cached.stages;
  }

  function route<M extends Method>(method: M) {
    return async (...args: unknown[]) => {
      const stage = (await stages())[method];
      const isRead = (READ_METHODS as readonly string[]).includes(method);
      const target = stage.stage === 'shadow' && isRead ? shadowed : implementations[layerFor(stage, requestKey())];
      return (target[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }

  return {
    ...(Object.fromEntries(METHODS.map((method) => [method, route(method)])) as unknown as StorefrontRepository),
    stages,
    drainShadows: () => shadowed.drain(),
  };
}
// #endregion router
