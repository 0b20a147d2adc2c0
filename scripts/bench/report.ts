// The terminal side: a progress line while measuring, a table per suite after.
import type { Measurement } from './measure.ts';
import type { SuiteRecord } from './results.ts';

export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let count = 0;
  return {
    update(label: string) {
      count++;
      const seconds = Math.round((Date.now() - started) / 1000);
      const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
      const line = `[${clock} #${count}] ${label}`;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
      else stream.write(`${line}\n`);
    },
    clear() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSuite(name: string, record: SuiteRecord): string {
  const rows = record.measurements.map((m: Measurement) => [
    m.id,
    formatMs(m.median),
    formatMs(m.p95),
    formatMs(m.min),
    String(m.samples),
    String(m.rows),
    String(m.queries),
  ]);
  const out = [`\n== ${name} (${record.size}, ${record.wallSeconds.toFixed(1)} s) ==`];
  if (rows.length) out.push(table(['measurement', 'median', 'p95', 'min', 'n', 'rows', 'queries'], rows));
  const derived = Object.entries(record.metrics).filter(
    ([key]) => !/\.(median|p95|min|samples|rows|queries)$/.test(key) || key.includes('.zipf.') || key.includes('.compile.'),
  );
  if (derived.length) {
    out.push(
      '',
      table(
        ['derived figure', 'value'],
        derived.map(([key, m]) => [
          key,
          typeof m.value === 'number'
            ? `${m.unit === 'ms' ? formatMs(m.value) : m.value}${m.unit === 'x' ? 'x' : m.unit === '%' ? ' %' : m.unit === 'us' ? ' µs' : ''}`
            : m.value,
        ]),
      ),
    );
  }
  for (const check of record.checks) out.push(`${check.equal ? '✓' : '✗'} ${check.name}`);
  return out.join('\n');
}
