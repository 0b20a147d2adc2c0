// The only way a runbook talks to PostgreSQL: one session with a name, timeouts,
// read-only diagnosis, a progress line on slow steps and server-side cancel.
import pg from 'pg';
import { poolerRefusal } from './pooler.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../lib/db/redact-url.ts';
import type { Step } from './definition.ts';
import { Progress } from './output.ts';

// int8 counts arrive as strings by default; ours fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface SessionSettings {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export interface Target {
  host: string;
  port: string;
  database: string;
  role: string;
  /** The URL without its password. */
  redacted: string;
}

/** The database could not be reached or refused us: exit 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/**
 * The server refused the connection for lack of slots (SQLSTATE 53300: "too many clients
 * already", or "remaining connection slots are reserved"): connection saturation itself.
 */
export class SaturatedError extends Error {
  override name = 'SaturatedError';
}

/** A step hit statement_timeout or lock_timeout. */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

export class AbortedError extends Error {
  override name = 'AbortedError';
}

export function describeTarget(url: string): Target {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '(socket)',
    port: parsed.port || '5432',
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default)',
    role: decodeURIComponent(parsed.username) || '(default)',
    redacted: redactUrl(url),
  };
}

/** One line, no stack, no password: what on-call reads when the connection fails. */
function connectionFailure(error: unknown, target: Target, password: string): UnreachableError | SaturatedError {
  const err = error as { code?: string; message?: string };
  const where = `${target.host}:${target.port}/${target.database}`;
  let text: string;
  if (err.code === '53300' || /too many clients|remaining connection slots are reserved/i.test(err.message ?? '')) {
    const detail = (err.message ?? 'too many clients already').split('\n')[0];
    const message = `PostgreSQL at ${target.host}:${target.port} refused a connection for lack of slots (SQLSTATE 53300: ${detail}): the server is saturated. To get in, connect as a superuser (superuser_reserved_connections) or, on PostgreSQL 16+, as a role granted pg_use_reserved_connections; or free slots through the pooler's admin console (PgBouncer: SHOW POOLS)`;
    return new SaturatedError(password ? message.split(password).join('*****') : message);
  }
  if (err.code === '28P01' || err.code === '28000' || /password authentication failed|no pg_hba.conf entry/i.test(err.message ?? '')) {
    text = `authentication failed for role "${target.role}" at ${where}; check the user and password in DATABASE_URL`;
  } else if (err.code === '3D000') {
    text = `database "${target.database}" does not exist at ${target.host}:${target.port}`;
  } else if (err.code === 'ECONNREFUSED') {
    text = `cannot reach PostgreSQL at ${where}: connection refused (is the server running, is the port right?)`;
  } else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    text = `cannot reach PostgreSQL at ${where}: host name does not resolve`;
  } else {
    text = `cannot reach PostgreSQL at ${where}: ${(err.message ?? String(error)).split('\n')[0]}`;
  }
  text = poolerRefusal(error, where) ?? text;
  return new UnreachableError(password ? text.split(password).join('*****') : text);
}

export class Session {
  readonly client: pg.Client;
  readonly target: Target;
  readonly slug: string;
  backendPid = 0;
  serverVersion = 0;
  /** The step running now (1-based index in the definition), for "aborted at step N". */
  current: { index: number; step: Step } | undefined;
  private readonly url: string;
  private readonly progress: Progress;
  private inTransaction = false;
  private aborted = false;
  private readonly abortController = new AbortController();
  private readonly steps: readonly Step[];
  /** Called after every write step with its outcome; the runner points it at the audit log. */
  onWrite: ((step: Step, sql: string, params: unknown[], outcome: string) => void) | undefined;
  /** Writes the server skipped, refused or that changed nothing: the run can never report them done. */
  readonly notDone: { step: Step; outcome: string }[] = [];
  /** Warnings and notices the server sent during the current statement. */
  private notices: { severity?: string; message: string }[] = [];

  constructor(url: string, slug: string, steps: readonly Step[], settings: SessionSettings, progress: Progress) {
    this.url = url;
    this.slug = slug;
    this.steps = steps;
    this.target = describeTarget(url);
    this.progress = progress;
    this.client = new pg.Client({
      connectionString: url,
      application_name: `runbook/${slug}`,
      statement_timeout: settings.statementTimeoutMs,
      lock_timeout: settings.lockTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: 5000,
    });
    // A server that goes away mid-run must surface as a failed query, not crash the process.
    this.client.on('error', () => {});
    // VACUUM of a table we may not vacuum is not an error: the server only warns "skipping".
    this.client.on('notice', (notice) => this.notices.push({ severity: notice.severity, message: notice.message ?? '' }));
  }

  async connect(): Promise<void> {
    const password = decodeURIComponent(new URL(this.url).password);
    try {
      await this.client.connect();
      const { rows } = await this.client.query<{ pid: number; version: number }>(
        `select pg_backend_pid() as pid, current_setting('server_version_num')::int as version`,
      );
      this.backendPid = rows[0]!.pid;
      this.serverVersion = rows[0]!.version;
    } catch (error) {
      throw connectionFailure(error, this.target, password);
    }
  }

  /** Runs a read step in a READ ONLY transaction: a guard against mistakes, not a security boundary. */
  async read<Row extends pg.QueryResultRow = Record<string, unknown>>(step: Step, params: unknown[] = []): Promise<Row[]> {
    if (step.kind !== 'read') throw new Error(`step ${step.id} is a write step; use write()`);
    return this.transaction(step, 'begin read only', params);
  }

  /** Runs a write step in its own transaction. */
  async write<Row extends pg.QueryResultRow = Record<string, unknown>>(step: Step, params: unknown[] = []): Promise<Row[]> {
    if (step.kind !== 'write') throw new Error(`step ${step.id} is a read step; use read()`);
    return this.transaction(step, 'begin', params);
  }

  /**
   * Runs a write step outside any transaction block (VACUUM refuses to run inside one).
   * `identifier` fills the step's {table} slot; it must be a name the server quoted
   * with format('%I.%I') after checking the table exists, never raw user input.
   */
  async writeOutsideTransaction(step: Step, identifier: string, verify?: () => Promise<string | undefined>): Promise<boolean> {
    if (step.kind !== 'write') throw new Error(`step ${step.id} is a read step`);
    if (!/^("([^"]|"")+"|[a-z_][a-z0-9_$]*)\.("([^"]|"")+"|[a-z_][a-z0-9_$]*)$/.test(identifier))
      throw new Error(`refusing unquoted identifier ${identifier}`);
    const before = this.notDone.length;
    await this.run(step, [], step.sql.replace('{table}', identifier), verify);
    return this.notDone.length === before;
  }

  private async transaction<Row extends pg.QueryResultRow>(step: Step, begin: string, params: unknown[]): Promise<Row[]> {
    this.checkAborted();
    await this.client.query(begin);
    this.inTransaction = true;
    try {
      const rows = await this.run<Row>(step, params);
      await this.client.query('commit');
      this.inTransaction = false;
      return rows;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /**
   * `verify` runs after a write the server accepted and returns why it did not have its
   * effect (or undefined); the audit line then records that real outcome.
   */
  private async run<Row extends pg.QueryResultRow>(
    step: Step,
    params: unknown[],
    text = step.sql,
    verify?: () => Promise<string | undefined>,
  ): Promise<Row[]> {
    this.checkAborted();
    const index = this.steps.indexOf(step) + 1;
    this.current = { index, step };
    this.progress.start(`step ${index}: ${step.title}`);
    try {
      // Extended protocol: exactly one statement per step, parameters kept apart from the SQL.
      this.notices = [];
      const result = await this.client.query<Row>({ text, values: params, queryMode: 'extended' } as pg.QueryConfig);
      if (step.kind === 'write') {
        const outcome = writeOutcome(result, this.notices);
        const missed = outcome.done && verify ? await verify() : undefined;
        if (missed) Object.assign(outcome, { done: false, text: `not done: ${missed}` });
        if (!outcome.done) this.notDone.push({ step, outcome: outcome.text });
        this.onWrite?.(step, text, params, outcome.text);
      }
      return result.rows;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (step.kind === 'write')
        this.onWrite?.(step, text, params, `failed: ${this.aborted ? `aborted at step ${index}` : (error as Error).message}`);
      if (this.aborted) throw new AbortedError(`aborted at step ${index} (${step.title})`);
      if (code === '57014')
        throw new StepTimeoutError(
          `step ${index} "${step.title}" hit statement_timeout; re-run with a larger --statement-timeout, or off-peak`,
        );
      if (code === '55P03')
        throw new StepTimeoutError(`step ${index} "${step.title}" hit lock_timeout waiting for a lock; someone else holds it`);
      throw error;
    } finally {
      this.progress.stop();
      this.current = undefined;
    }
  }

  /** A pause between two reads (a sampling window) that Ctrl-C ends at once. */
  async wait(ms: number): Promise<void> {
    this.checkAborted();
    try {
      await sleep(ms, undefined, { signal: this.abortController.signal });
    } catch {
      throw new AbortedError(`aborted at step ${this.current?.index ?? 0} while waiting out a ${Math.round(ms / 1000)}s window`);
    }
  }

  private checkAborted(): void {
    if (this.aborted) throw new AbortedError(`aborted at step ${this.current?.index ?? 0}`);
  }

  /**
   * EXPLAIN (never ANALYZE) of a statement the server itself reported in pg_stat_activity,
   * in a read-only transaction and over the extended protocol, which accepts one statement only.
   */
  async explain(step: Step, statement: string): Promise<string[]> {
    if (step.kind !== 'read') throw new Error(`step ${step.id} must be a read step`);
    const placeholders = Math.max(0, ...[...statement.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
    if (placeholders > 0 && this.serverVersion < 160000) {
      throw new Error('the statement has $n placeholders; EXPLAIN (GENERIC_PLAN) needs PostgreSQL 16 or later');
    }
    const text = `${placeholders > 0 ? 'explain (generic_plan) ' : 'explain '}${statement}`;
    this.checkAborted();
    await this.client.query('begin read only');
    this.inTransaction = true;
    try {
      // A generic plan ignores parameter values, but the protocol still wants one per $n.
      const rows = await this.run<{ 'QUERY PLAN': string }>(step, new Array(placeholders).fill(null), text).catch((error) => {
        if ((error as { code?: string }).code !== '42501') throw error;
        // EXPLAIN checks the same table privileges as running the statement; pg_monitor grants none.
        throw new Error(
          `role "${this.target.role}" may not EXPLAIN it: EXPLAIN needs SELECT on every table the statement reads, which pg_monitor does not give (${(error as Error).message}); ask a DBA for GRANT SELECT ON <those tables> TO ${this.target.role}, or run --explain-pid as the application's role`,
        );
      });
      return rows.map((row) => row['QUERY PLAN']);
    } finally {
      await this.rollback();
    }
  }

  /**
   * This session's connection as a one-client pool, so Kysely (the Migrator) runs
   * with the same name, timeouts and advisory lock as the rest of the runbook.
   */
  asPool(): pg.Pool {
    const client = Object.assign(this.client, { release: () => {} });
    return { connect: () => Promise.resolve(client), end: async () => {} } as unknown as pg.Pool;
  }

  /** Records a write done outside run() (e.g. by Kysely's Migrator, or refused before it ran) in the audit log. */
  audit(step: Step, sql: string, outcome: string, done = true): void {
    if (!done) this.notDone.push({ step, outcome });
    this.onWrite?.(step, sql, [], outcome);
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    await this.client.query('rollback').catch(() => {});
  }

  /**
   * Ctrl-C: a client-side abort leaves the query running on the server, so cancel
   * it from a second connection (same role may always cancel its own sessions).
   */
  async cancelInFlight(): Promise<boolean> {
    this.aborted = true;
    this.abortController.abort();
    if (!this.current || !this.backendPid) return false;
    const side = new pg.Client({
      connectionString: this.url,
      application_name: `runbook/${this.slug}/cancel`,
      connectionTimeoutMillis: 3000,
    });
    side.on('error', () => {});
    try {
      await side.connect();
      const { rows } = await side.query<{ ok: boolean }>('select pg_cancel_backend($1) as ok', [this.backendPid]);
      return rows[0]?.ok ?? false;
    } catch {
      return false;
    } finally {
      await side.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.rollback();
    await this.client.end().catch(() => {});
  }
}

/**
 * What a write really did. The server skips some writes with only a warning (VACUUM of a
 * table we do not own), a signal function answers false, and an UPDATE may match no row:
 * none of these is "done".
 */
function writeOutcome(result: pg.QueryResult, notices: { severity?: string; message: string }[]): { done: boolean; text: string } {
  const warning = notices.find((notice) => notice.severity === 'WARNING');
  if (warning) return { done: false, text: `skipped by the server: ${warning.message}` };
  const rows = result.rows as Record<string, unknown>[];
  if (rows.some((row) => row.signalled === false))
    return { done: false, text: 'refused by the server: the signal function returned false' };
  if (result.command !== 'VACUUM' && (result.rowCount ?? 0) === 0)
    return { done: false, text: 'changed nothing (0 rows): the target no longer matched' };
  return { done: true, text: result.command === 'VACUUM' ? 'ok (vacuum finished)' : `ok (${result.rowCount} rows)` };
}
