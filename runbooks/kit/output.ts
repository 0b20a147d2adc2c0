// Human output: a progress line on slow steps (terminal only, on stderr, never in --json)
// and the report that ends with a verdict and the next step.
import type { Diagnosis } from './definition.ts';
import { verdictOf } from './visibility.ts';

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private shown = false;
  private readonly enabled: boolean;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /** Shows a spinner only if the step is still running after 300 ms. */
  start(label: string): void {
    if (!this.enabled) return;
    this.stop();
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    const started = Date.now();
    this.timer = setInterval(() => {
      if (Date.now() - started < 300) return;
      this.shown = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`\r${frames[this.frame++ % frames.length]} ${label} (${seconds}s)\x1b[K`);
    }, 100);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

const MARK = { ok: '✓', info: '·', problem: '✗', unseen: '?' } as const;
const VERDICT = { healthy: 'HEALTHY', problem: 'PROBLEM', unseen: 'COULD NOT SEE' } as const;

export function humanReport(title: string, diagnosis: Diagnosis, actions: string[] = []): string {
  const lines = [title, ''];
  for (const finding of diagnosis.findings) lines.push(`${MARK[finding.level]} ${finding.text}`);
  if (actions.length) {
    lines.push('', 'Actions taken:');
    for (const action of actions) lines.push(`  ${action}`);
  }
  lines.push('', `Verdict: ${VERDICT[verdictOf(diagnosis)]} — ${diagnosis.summary}`, `Next: ${diagnosis.next}`);
  return lines.join('\n');
}

/** Long statements would flood a terminal at 3 a.m.; keep the start, which names the query. */
export function truncate(text: string | null | undefined, max = 120): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m`;
}
