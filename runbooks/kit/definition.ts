// What a runbook is. Its data (slug, flags, steps with their SQL: runbooks/steps/) is what
// the site renders and the CLI runs, so the SQL on the page is byte for byte the SQL that
// runs; its logic (diagnose, remediate: runbooks/logic/) only the CLI loads. Both are typed
// by the runbook's own flag specs and diagnosis data.
import type { Session } from './session.ts';
import type { FlagSpec, RunbookArgs } from './contract.ts';

/**
 * 'other-sessions': other roles' rows in pg_stat_activity / pg_stat_statements (state, query,
 * backend_type, backend_xmin are NULL without pg_read_all_stats, which pg_monitor includes).
 * 'storefront': SELECT on the Storefront tables, which only exist in a Storefront database.
 */
export type Need = 'other-sessions' | 'storefront';

export interface Step {
  /** Stable id, used in progress lines, timeouts and "aborted at step N". */
  id: string;
  title: string;
  /** One sentence: why this step exists. Shown before the SQL on the page. */
  why: string;
  /** The exact SQL. Values are $1, $2 parameters, never spliced in. */
  sql: string;
  /** What each $n is, in order. */
  params?: string[];
  kind: 'read' | 'write';
  /** What to look for in the result. */
  lookFor: string;
}

export interface Finding {
  /** 'problem' findings make the run exit 1; 'unseen' names a check that could not be made (exit 4). */
  level: 'ok' | 'info' | 'problem' | 'unseen';
  text: string;
}

export interface Diagnosis<Data extends object = object> {
  healthy: boolean;
  findings: Finding[];
  /** The verdict's one-line summary. */
  summary: string;
  /** What the operator should do next. */
  next: string;
  /** Machine-readable details for --json; remediation reads what the diagnosis found here. */
  data: Data;
}

export interface RemediationResult {
  /** Lines describing what was done. */
  actions: string[];
  /** False when the runbook's own verification failed (e.g. rows were lost): exit 1. */
  verified?: boolean;
}

/** Everything about a runbook that the site shows: no code that connects or acts. */
export interface RunbookData<Flags extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly slug: string;
  readonly title: string;
  /** One paragraph for --help and the page. */
  readonly purpose: string;
  readonly flags: Flags;
  readonly steps: readonly Step[];
  /** Roles the write steps need, checked before any write (never granted by the runbook). */
  readonly writeRoles?: readonly string[];
  /**
   * What the diagnosis must be able to see; the kit checks it first and, when it cannot,
   * names what is hidden and the grant that shows it, and never reports healthy.
   */
  readonly needs?: readonly Need[];
  /** A server refusing us for lack of connection slots is the problem this runbook looks for (exit 1, not 3). */
  readonly detectsSaturation?: boolean;
  /** A procedure (rollback) acts on request even when the diagnosis found nothing wrong. */
  readonly actsWhenHealthy?: boolean;
}

/** What the CLI runs, typed by the runbook's flags and by the data its diagnosis hands to remediation. */
export interface RunbookLogic<Flags extends readonly FlagSpec[], Data extends object> {
  /**
   * Checks that need the database (e.g. "the table exists"); throw UsageError to exit 2. It may
   * replace a flag's value with its checked form (vacuum-bloat: the table name as the server quotes it).
   */
  validate?: (session: Session, args: RunbookArgs<Flags>) => Promise<void>;
  diagnose: (session: Session, args: RunbookArgs<Flags>) => Promise<Diagnosis<Data>>;
  /** Present only on runbooks with write steps. */
  remediate?: (session: Session, args: RunbookArgs<Flags>, diagnosis: Diagnosis<Data>) => Promise<RemediationResult>;
}

export type RunbookDefinition<Flags extends readonly FlagSpec[], Data extends object> = RunbookData<Flags> & RunbookLogic<Flags, Data>;

/**
 * Declares a runbook's data. The flag specs keep their literal names and types (a `const` type
 * parameter), which is what types `args` in the runbook's logic.
 */
export function defineRunbookData<const Flags extends readonly FlagSpec[]>(data: RunbookData<Flags>): RunbookData<Flags> {
  return data;
}

/** Joins a runbook's data with its logic; `Data` is inferred from what `diagnose` returns. */
export function defineRunbook<Flags extends readonly FlagSpec[], Data extends object>(
  data: RunbookData<Flags>,
  logic: RunbookLogic<Flags, Data>,
): RunbookDefinition<Flags, Data> {
  return { ...data, ...logic };
}

/** A write the runbook will not do; reported as a problem (exit 1), with nothing changed. */
export class Refusal extends Error {
  override name = 'Refusal';
}
