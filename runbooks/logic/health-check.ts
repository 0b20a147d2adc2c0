// The daily health check, the logic: the diagnosis of every runbook listed in
// runbooks/steps/health-check.ts, each with its own defaults, in one run and one summary.
import { defineRunbook, type Diagnosis, type Finding, type RunbookData, type RunbookDefinition } from '../kit/definition.ts';
import { parseRunbookArgs } from '../kit/args.ts';
import type { FlagSpec, RunbookArgs } from '../kit/contract.ts';
import { AbortedError, type Session } from '../kit/session.ts';
import { checkSight, verdictOf, withUnseen } from '../kit/visibility.ts';
import { healthCheck as data } from '../steps/health-check.ts';
import { lockContention } from './lock-contention.ts';
import { connectionSaturation } from './connection-saturation.ts';
import { slowQueries } from './slow-queries.ts';
import { cacheHitRate } from './cache-hit-rate.ts';
import { errorSpike } from './error-spike.ts';
import { vacuumBloat } from './vacuum-bloat.ts';
import { rollback } from './rollback.ts';

type HealthArgs = RunbookArgs<typeof data.flags>;

/** One checked runbook behind a signature that hides its own flags and data: it diagnoses with its defaults. */
interface Check {
  runbook: RunbookData;
  diagnose: (session: Session, own: HealthArgs) => Promise<Diagnosis>;
}

/**
 * A runbook's diagnosis as the health check runs it: with the runbook's own defaults, as if it
 * were started without flags, and whatever `adjust` passes on from the health check's flags.
 */
function check<Flags extends readonly FlagSpec[], Data extends object>(
  runbook: RunbookDefinition<Flags, Data>,
  adjust?: (args: RunbookArgs<Flags>, own: HealthArgs) => void,
): Check {
  return {
    runbook,
    diagnose: (session, own) => {
      const args = parseRunbookArgs([], runbook.flags);
      adjust?.(args, own);
      return runbook.diagnose(session, args);
    },
  };
}

/** In the order of CHECKED (runbooks/steps/health-check.ts), which the page shows. */
export const CHECKS: Check[] = [
  check(lockContention),
  check(connectionSaturation),
  check(slowQueries),
  // Each windowed check samples over the health check's own flag for it (--cache-window, --window).
  check(cacheHitRate, (args, own) => {
    args.window = own['cache-window'];
  }),
  // Shortened by the health check's --window, so the whole check stays quick.
  check(errorSpike, (args, own) => {
    args.window = own.window;
  }),
  check(vacuumBloat),
  check(rollback),
];

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
async function runCheck(session: Session, { runbook, diagnose }: Check, own: HealthArgs): Promise<Omit<CheckResult, 'ms'>> {
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
    const result = withUnseen(await diagnose(session, own), sight.unseen);
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

async function diagnoseAll(session: Session, args: HealthArgs): Promise<Diagnosis<{ checks: CheckResult[] }>> {
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const started = performance.now();
    const result = await runCheck(session, check, args);
    results.push({ ...result, ms: Math.round(performance.now() - started) });
    findings.push({ level: LEVEL[result.status], text: `${check.runbook.slug.padEnd(22)} ${result.summary}` });
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

export const healthCheck = defineRunbook(data, { diagnose: diagnoseAll });
