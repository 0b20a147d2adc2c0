// Runs a runbook the way on-call does: `npx zx runbooks/<name>.ts …` in a child
// process, with no terminal attached, and collects its output and exit code.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { runCommand, type RunOptions, type RunResult } from '../support/run-command.ts';

const BIN = join(PROJECT_ROOT, 'node_modules/.bin');

interface RunbookOptions extends RunOptions {
  /** DATABASE_URL for the runbook; without it the runbook gets none. */
  url?: string;
}

export function runbook(name: string, args: string[] = [], options: RunbookOptions = {}): Promise<RunResult> {
  const { url, env, ...rest } = options;
  return runCommand(join(BIN, 'zx'), [`runbooks/${name}.ts`, ...args], {
    ...rest,
    env: {
      PATH: `${BIN}:${process.env.PATH}`,
      DATABASE_URL: url,
      RUNBOOK_AUDIT_LOG: join(tmpdir(), 'handbook-runbook-test-audit.jsonl'),
      ...env,
    },
  });
}

/** health-check with both sampling windows short: a test database has no traffic to sample. */
export const QUICK_HEALTH_CHECK = ['--window', '200ms', '--cache-window', '200ms'];
