// What a runbook is, as data: the CLI runs these steps and the site renders them,
// so the SQL on the page is byte for byte the SQL that runs.
import type { Session } from './session.ts';
import type { ParsedArgs, FlagSpec } from './args.ts';

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

export interface Diagnosis {
  healthy: boolean;
  findings: Finding[];
  /** The verdict's one-line summary. */
  summary: string;
  /** What the operator should do next. */
  next: string;
  /** Machine-readable details for --json. */
  data: Record<string, unknown>;
}

export interface RemediationResult {
  /** Lines describing what was done. */
  actions: string[];
  /** False when the runbook's own verification failed (e.g. rows were lost): exit 1. */
  verified?: boolean;
}

export interface RunbookDefinition {
  slug: string;
  title: string;
  /** One paragraph for --help and the page. */
  purpose: string;
  flags: FlagSpec[];
  steps: Step[];
  /** Roles the write steps need, checked before any write (never granted by the runbook). */
  writeRoles?: string[];
  /**
   * What the diagnosis must be able to see; the kit checks it first and, when it cannot,
   * names what is hidden and the grant that shows it, and never reports healthy.
   */
  needs?: Need[];
  /** A server refusing us for lack of connection slots is the problem this runbook looks for (exit 1, not 3). */
  detectsSaturation?: boolean;
  /** Checks that need the database (e.g. "the table exists"); throw UsageError to exit 2. */
  validate?(session: Session, args: ParsedArgs): Promise<void>;
  diagnose(session: Session, args: ParsedArgs): Promise<Diagnosis>;
  /** A procedure (rollback) acts on request even when the diagnosis found nothing wrong. */
  actsWhenHealthy?: boolean;
  /** Present only on runbooks with write steps. */
  remediate?(session: Session, args: ParsedArgs, diagnosis: Diagnosis): Promise<RemediationResult>;
}

/** A write the runbook will not do; reported as a problem (exit 1), with nothing changed. */
export class Refusal extends Error {
  override name = 'Refusal';
}
