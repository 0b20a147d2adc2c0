// Runs a runbook the way on-call does: `npx zx runbooks/<name>.ts …` in a child
// process, with no terminal attached, and collects its output and exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for "the report names X" assertions. */
  output: string;
  ms: number;
}

export interface RunOptions {
  url?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  onSpawn?: (child: ChildProcess) => void;
}

export function runbook(name: string, args: string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(join(BIN, 'zx'), [`runbooks/${name}.ts`, ...args], options);
}

/** Runs any command from the project root with the runbook environment (no terminal, a test audit log). */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    DATABASE_URL: options.url,
    RUNBOOK_AUDIT_LOG: join(tmpdir(), 'handbook-runbook-test-audit.jsonl'),
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: stdout + stderr, ms: Date.now() - started });
    });
    options.onSpawn?.(child);
  });
}
