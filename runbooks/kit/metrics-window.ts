// The runbooks that judge a recent window rather than lifetime totals (error-spike,
// cache-hit-rate) take the same two samples: the database's counters and, with
// --metrics-url or $STOREFRONT_METRICS_URL, one scrape of the Storefront's /metrics, before
// and after waiting --window. Each runbook then judges the change its own way.
import { METRICS_URL_ENV } from './contract.ts';
import { scrape, type Sample } from './alert-check.ts';
import type { Session } from './session.ts';

/** The flags a windowed runbook declares: `window` (a duration with a default) and metricsUrlFlag(). */
export interface WindowArgs {
  window: number;
  'metrics-url': string | undefined;
}

/** The application side of the window: both scrapes, or why there are none. */
type MetricsWindow =
  | { state: 'not-asked' }
  | { state: 'unreachable'; url: string; message: string }
  | { state: 'sampled'; url: string; before: Sample[]; after: Sample[] };

export interface Windowed<Counters> {
  windowMs: number;
  /** The window as the report prints it ("5s"). */
  window: string;
  before: Counters;
  after: Counters;
  metrics: MetricsWindow;
}

function unreachable(url: string, error: Error): string {
  const cause = (error.cause as { code?: string } | undefined)?.code;
  return `application metrics not reachable at ${url} (${cause ?? error.message})`;
}

/** Samples `sample()` and the metrics endpoint, waits --window, and samples both again. */
export async function sampleWindow<Counters>(
  session: Session,
  args: WindowArgs,
  sample: () => Promise<Counters>,
): Promise<Windowed<Counters>> {
  const url = args['metrics-url'] || process.env[METRICS_URL_ENV] || undefined;
  const windowMs = args.window;
  const before = await sample();
  const first = url ? await scrape(url).catch((error: Error) => unreachable(url, error)) : undefined;
  await session.wait(windowMs);
  const after = await sample();
  let metrics: MetricsWindow = { state: 'not-asked' };
  if (url && typeof first === 'string') metrics = { state: 'unreachable', url, message: first };
  else if (url && Array.isArray(first)) {
    // Asked again only when it answered the first time.
    const second = await scrape(url).catch((error: Error) => unreachable(url, error));
    metrics =
      typeof second === 'string' ? { state: 'unreachable', url, message: second } : { state: 'sampled', url, before: first, after: second };
  }
  return { windowMs, window: `${windowMs / 1000}s`, before, after, metrics };
}
