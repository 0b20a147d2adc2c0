// The daily health check: every runbook's diagnosis in one run, one summary,
// non-zero when anything is wrong. It only reads.
import type { Diagnosis, Finding, RunbookDefinition } from '../kit/definition.ts';
import { parseDuration, type ParsedArgs } from '../kit/args.ts';
import { AbortedError, type Session } from '../kit/session.ts';
import { checkSight, verdictOf, withUnseen } from '../kit/visibility.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { slowQueries } from './slow-queries.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';

/** In the order they run; error-spike's window is shortened so the whole check stays quick. */
export const CHECKED = [lockContention, connectionSaturation, slowQueries, cacheHitRate, errorSpike, vacuumBloat, rollback];

const uniqueReadSteps = () => [
  ...new Set(
    CHECKED.flatMap((runbook) =>
      runbook.steps.filter(
        (step) =>
          step.kind === 'read' &&
          !['check-recovery', 'check-role', 'take-run-lock', 'resolve-table', 'statement-of-pid', 'explain', 'still-blocking'].includes(
            step.id,
          ),
      ),
    ),
  ),
];

/** Each checked runbook's defaults, with the error-spike window from --window. */
function defaultsFor(runbook: RunbookDefinition, args: ParsedArgs): ParsedArgs {
  const values: ParsedArgs = { ...args };
  for (const flag of runbook.flags) {
    if (flag.default === undefined) continue;
    values[flag.name] = flag.type === 'duration' ? undefined : flag.type === 'count' ? Number(flag.default) : flag.default;
  }
  return values;
}

type CheckStatus = 'healthy' | 'problem' | 'unseen' | 'not-applicable';

interface CheckResult {
  slug: string;
  status: CheckStatus;
  healthy: boolean;
  summary: string;
  next: string;
  ms: number;
}

const LEVEL: Record<CheckStatus, Finding['level']> = { healthy: 'ok', problem: 'problem', unseen: 'unseen', 'not-applicable': 'info' };

/** One check, on its own: whatever it throws is reported on its line and the next check still runs. */
async function runCheck(session: Session, runbook: RunbookDefinition, values: ParsedArgs): Promise<Omit<CheckResult, 'ms'>> {
  const slug = runbook.slug;
  try {
    const sight = await checkSight(session, runbook.needs ?? []);
    if (runbook.needs?.includes('storefront') && !sight.storefront) {
      return {
        slug,
        status: 'not-applicable',
        healthy: true,
        summary: 'not a Storefront database (no feature_flags or kysely_migration table); check skipped',
        next: '',
      };
    }
    if (sight.unseen.some((gap) => gap.need === 'storefront')) {
      const result = withUnseen({ healthy: false, findings: [], summary: '', next: '', data: {} }, sight.unseen);
      return { slug, status: 'unseen', healthy: false, summary: result.summary, next: result.next };
    }
    const result = withUnseen(await runbook.diagnose(session, values), sight.unseen);
    const status = verdictOf(result);
    return { slug, status, healthy: status === 'healthy', summary: result.summary, next: result.next };
  } catch (error) {
    if (error instanceof AbortedError) throw error;
    const err = error as { code?: string; message?: string };
    await session.rollback();
    const text = (err.message ?? String(error)).split('\n')[0];
    return {
      slug,
      status: 'unseen',
      healthy: false,
      summary:
        err.code === '42501' ? `could not check: ${text} (the role lacks a grant; see the ${slug} page)` : `could not check: ${text}`,
      next: `run npx zx runbooks/${slug}.ts on its own to see the error`,
    };
  }
}

async function diagnose(session: Session, args: ParsedArgs): Promise<Diagnosis> {
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const runbook of CHECKED) {
    const values = defaultsFor(runbook, args);
    for (const flag of runbook.flags)
      if (flag.type === 'duration' && flag.default) values[flag.name] = parseDuration(flag.default, flag.name);
    if (runbook.slug === 'error-spike') values.window = args.window;
    const started = performance.now();
    const result = await runCheck(session, runbook, values);
    results.push({ ...result, ms: Math.round(performance.now() - started) });
    findings.push({ level: LEVEL[result.status], text: `${runbook.slug.padEnd(22)} ${result.summary}` });
  }
  const failing = results.filter((result) => result.status === 'problem');
  const unseen = results.filter((result) => result.status === 'unseen');
  const made = results.filter((result) => result.status !== 'not-applicable').length;
  const parts = [
    failing.length ? `${failing.length} of ${made} checks found a problem: ${failing.map((r) => r.slug).join(', ')}` : '',
    unseen.length ? `${unseen.length} could not be made: ${unseen.map((r) => r.slug).join(', ')}` : '',
  ].filter(Boolean);
  return {
    healthy: failing.length === 0 && unseen.length === 0,
    findings,
    summary: parts.length
      ? parts.join('; ')
      : `all ${made} checks passed${made < results.length ? ` (${results.length - made} not applicable)` : ''}`,
    next: [...failing, ...unseen].length
      ? [...failing, ...unseen].map((r) => `run npx zx runbooks/${r.slug}.ts for details (${r.next})`).join(' ')
      : 'Nothing to do until tomorrow.',
    data: { checks: results },
  };
}

export const healthCheck: RunbookDefinition = {
  slug: 'health-check',
  title: 'Daily health check',
  purpose:
    'Runs the diagnosis of every other runbook (locks, connections, slow queries, cache, errors, vacuum, release state) with their default thresholds and prints one summary. Each check is reported on its own and a failing one does not stop the others; on a database that is not the Storefront, the Storefront-only check says so and the others run. Exits 1 if any of them found a problem, 4 if none did but one could not be made. It never changes anything.',
  flags: [{ name: 'window', type: 'duration', default: '1s', description: 'Sampling window for the error-spike check.' }],
  detectsSaturation: true,
  get steps() {
    return uniqueReadSteps();
  },
  diagnose,
};
