// promtool and amtool, from Debian's Prometheus packages. Missing on a laptop: the test is
// skipped with the install command. Missing under CI=true: the test fails, so CI cannot go
// green without having really run them.
import { requireExecutable } from '../support/executables.ts';

const INSTALL_COMMAND = 'sudo apt-get install -y prometheus prometheus-alertmanager';

/** Returns the tool's path, or skips (locally) / throws (CI) with the install command. */
export function requireTool(name: 'promtool' | 'amtool', skip: (note: string) => never): string {
  return requireExecutable(name, INSTALL_COMMAND, skip);
}
