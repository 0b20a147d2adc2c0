// Finds promtool / amtool. Missing on a laptop: the test is skipped with the
// install command. Missing under CI=true: the test fails, so CI cannot go green
// without having really run them.
import { spawnSync } from 'node:child_process';

const INSTALL_COMMAND = 'sudo apt-get install -y prometheus prometheus-alertmanager';

export function findTool(name: 'promtool' | 'amtool'): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Returns the tool's path, or skips (locally) / throws (CI) with the install command. */
export function requireTool(name: 'promtool' | 'amtool', skip: (note: string) => never): string {
  const path = findTool(name);
  if (path) return path;
  const message = `${name} is not installed; install it with: ${INSTALL_COMMAND}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing tool fails the run)`);
  return skip(message);
}

export function run(tool: string, args: string[], cwd: string) {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}
