// Every write a runbook performs (or attempts) is appended here as one JSON line.
import { appendFileSync, mkdirSync } from 'node:fs';
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

/** Proves the audit log can be written before any write runs, so no signal or VACUUM goes unrecorded. */
export function checkAuditLogWritable(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, '');
}

export function appendAudit(path: string, entry: AuditEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), operator: operator(), ...entry })}\n`);
}
