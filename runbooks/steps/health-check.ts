// The daily health check: every runbook's diagnosis in one run, one summary,
// non-zero when anything is wrong. It only reads.
import type { Diagnosis, Finding, RunbookDefinition } from '../kit/definition.ts';
import type { ParsedArgs } from '../kit/args.ts';
import type { Session } from '../kit/session.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { slowQueries } from './slow-queries.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';

/** In the order they run; error-spike's window is shortened so the whole check stays quick. */
export const CHECKED = [lockContention, connectionSaturation, slowQueries, cacheHitRate, errorSpike, vacuumBloat, rollback];

const uniqueReadSteps = () => [...new Set(CHECKED.flatMap((runbook) => runbook.steps.filter((step) => step.kind === 'read' && !['check-recovery', 'check-role', 'take-run-lock', 'resolve-table', 'statement-of-pid', 'explain', 'still-blocking'].includes(step.id))))];

/** Each checked runbook's defaults, with the error-spike window from --window. */
function defaultsFor(runbook: RunbookDefinition, args: ParsedArgs): ParsedArgs {
  const values: ParsedArgs = { ...args };
  for (const flag of runbook.flags) {
    if (flag.default === undefined) continue;
    values[flag.name] = flag.type === 'duration' ? undefined : flag.type === 'count' ? Number(flag.default) : flag.default;
  }
  return values;
}

async function diagnose(session: Session, args: ParsedArgs): Promise<Diagnosis> {
  const { parseDuration } = await import('../kit/args.ts');
  const results: { slug: string; healthy: boolean; summary: string; next: string; ms: number }[] = [];
  const findings: Finding[] = [];
  for (const runbook of CHECKED) {
    const values = defaultsFor(runbook, args);
    for (const flag of runbook.flags) if (flag.type === 'duration' && flag.default) values[flag.name] = parseDuration(flag.default, flag.name);
    if (runbook.slug === 'error-spike') values.window = args.window;
    const started = performance.now();
    const result = await runbook.diagnose(session, values);
    const ms = Math.round(performance.now() - started);
    results.push({ slug: runbook.slug, healthy: result.healthy, summary: result.summary, next: result.next, ms });
    findings.push({ level: result.healthy ? 'ok' : 'problem', text: `${runbook.slug.padEnd(22)} ${result.summary}` });
  }
  const failing = results.filter((result) => !result.healthy);
  return {
    healthy: failing.length === 0,
    findings,
    summary: failing.length ? `${failing.length} of ${results.length} checks found a problem: ${failing.map((r) => r.slug).join(', ')}` : `all ${results.length} checks passed`,
    next: failing.length ? failing.map((r) => `run npx zx runbooks/${r.slug}.ts for details (${r.next})`).join(' ') : 'Nothing to do until tomorrow.',
    data: { checks: results },
  };
}

export const healthCheck: RunbookDefinition = {
  slug: 'health-check',
  title: 'Daily health check',
  purpose: 'Runs the diagnosis of every other runbook (locks, connections, slow queries, cache, errors, vacuum, release state) with their default thresholds and prints one summary. Exits 1 if any of them found a problem. It never changes anything.',
  flags: [{ name: 'window', type: 'duration', default: '1s', description: 'Sampling window for the error-spike check.' }],
  get steps() {
    return uniqueReadSteps();
  },
  diagnose,
};
