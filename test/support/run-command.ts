// The one way the tests run a command to completion: a CLI, a runbook, a nested vitest, a
// system tool. From the project root unless told otherwise, with no terminal attached, this
// process's environment plus `env` (a variable set to undefined is removed), its output
// collected and its exit code returned, never thrown. A command that outlives `timeoutMs` is
// killed, so a hung child fails its test instead of the whole run.
// Long-lived children that a test starts, watches and stops (a server, the sandbox, PgBouncer)
// are spawned where they are used: they are never run to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

export interface RunOptions {
  /** Working directory; the project root by default. */
  cwd?: string;
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Killed (SIGKILL) after this long; 60 s by default. */
  timeoutMs?: number;
  /** Run as this OS user (root only). */
  uid?: number;
  gid?: number;
  /** Called with the child as soon as it is spawned: to watch its output or signal it. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RunResult {
  /** Exit code, or null when a signal ended it (then `signal` says which). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for "the output names X" assertions. */
  output: string;
  ms: number;
}

/**
 * Removes what vitest puts into this process's environment (VITEST, VITEST_POOL_ID, TEST, …),
 * for a child that runs vitest itself and must decide everything on its own.
 */
export const OUTSIDE_VITEST: Record<string, undefined> = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => name.startsWith('VITEST') || name === 'TEST')
    .map((name) => [name, undefined]),
);

export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: stdout + stderr, ms: Date.now() - started });
    });
    options.onSpawn?.(child);
  });
}

/** A script on the pinned Node that runs this test: `runNode(['scripts/drill.ts', '--clear'])`. */
export function runNode(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runCommand(process.execPath, args, options);
}
