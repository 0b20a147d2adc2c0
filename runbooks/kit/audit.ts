// Every write a runbook performs (or attempts) is appended here as one JSON line.
import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

export interface AuditEntry {
  runbook: string;
  /** The target without its password. */
  target: string;
  step: string;
  sql: string;
  params?: unknown[];
  outcome: string;
}

/** --audit-log, else $RUNBOOK_AUDIT_LOG, else ~/.handbook/runbook-audit.jsonl. */
export function auditLogPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.RUNBOOK_AUDIT_LOG || join(homedir(), '.handbook', 'runbook-audit.jsonl');
}

function operator(): string {
  try {
    return process.env.RUNBOOK_OPERATOR || userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Creates the log's folder one level at a time. Node's recursive mkdir retries forever
 * (at 100 % CPU) under /proc, where mkdir answers ENOENT; this fails on the first refusal.
 */
function makeFolder(folder: string): void {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) throw error;
      missing.unshift(current);
      current = parent;
    }
  }
  for (const part of missing) mkdirSync(part);
}

/** Proves the audit log can be written before any write runs, so no signal or VACUUM goes unrecorded. */
export function checkAuditLogWritable(path: string): void {
  makeFolder(dirname(path));
  appendFileSync(path, '');
}

export function appendAudit(path: string, entry: AuditEntry): void {
  makeFolder(dirname(path));
  appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), operator: operator(), ...entry })}\n`);
}
