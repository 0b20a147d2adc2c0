// The only way a runbook talks to PostgreSQL: one session with a name, timeouts,
// read-only diagnosis, a progress line on slow steps and server-side cancel.
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../scripts/db/redact-url.ts';
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
export function connectionFailure(error: unknown, target: Target, password: string): UnreachableError {
  const err = error as { code?: string; message?: string };
  const where = `${target.host}:${target.port}/${target.database}`;
  let text: string;
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
  private readonly steps: Step[];
  /** Called after every write step with its outcome; the runner points it at the audit log. */
  onWrite: ((step: Step, sql: string, params: unknown[], outcome: string) => void) | undefined;

  constructor(url: string, slug: string, steps: Step[], settings: SessionSettings, progress: Progress) {
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
  async writeOutsideTransaction(step: Step, identifier: string): Promise<void> {
    if (step.kind !== 'write') throw new Error(`step ${step.id} is a read step`);
    if (!/^("([^"]|"")+"|[a-z_][a-z0-9_$]*)\.("([^"]|"")+"|[a-z_][a-z0-9_$]*)$/.test(identifier)) throw new Error(`refusing unquoted identifier ${identifier}`);
    await this.run(step, [], step.sql.replace('{table}', identifier));
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

  private async run<Row extends pg.QueryResultRow>(step: Step, params: unknown[], text = step.sql): Promise<Row[]> {
    this.checkAborted();
    const index = this.steps.indexOf(step) + 1;
    this.current = { index, step };
    this.progress.start(`step ${index}: ${step.title}`);
    try {
      // Extended protocol: exactly one statement per step, parameters kept apart from the SQL.
      const result = await this.client.query<Row>({ text, values: params, queryMode: 'extended' } as pg.QueryConfig);
      if (step.kind === 'write') this.onWrite?.(step, text, params, `ok (${result.rowCount ?? 0} rows)`);
      return result.rows;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (step.kind === 'write') this.onWrite?.(step, text, params, `failed: ${this.aborted ? `aborted at step ${index}` : (error as Error).message}`);
      if (this.aborted) throw new AbortedError(`aborted at step ${index} (${step.title})`);
      if (code === '57014') throw new StepTimeoutError(`step ${index} "${step.title}" hit statement_timeout; re-run with a larger --statement-timeout, or off-peak`);
      if (code === '55P03') throw new StepTimeoutError(`step ${index} "${step.title}" hit lock_timeout waiting for a lock; someone else holds it`);
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
      const rows = await this.run<{ 'QUERY PLAN': string }>(step, new Array(placeholders).fill(null), text);
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
    return { connect: async () => client, end: async () => {} } as unknown as pg.Pool;
  }

  /** Records a write done outside run() (e.g. by Kysely's Migrator) in the audit log. */
  audit(step: Step, sql: string, outcome: string): void {
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
    const side = new pg.Client({ connectionString: this.url, application_name: `runbook/${this.slug}/cancel`, connectionTimeoutMillis: 3000 });
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
