// Reads numbers back out of a /metrics page, the way Prometheus would compute
// them: sums of counters, and a quantile interpolated inside histogram buckets.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: match[3] === '+Inf' ? Infinity : Number(match[3]) });
  }
  return samples;
}

type Filter = (labels: Record<string, string>) => boolean;
const all: Filter = () => true;

export function sumOf(samples: Sample[], name: string, filter: Filter = all): number {
  return samples.filter((sample) => sample.name === name && filter(sample.labels)).reduce((total, sample) => total + sample.value, 0);
}

/**
 * The q-quantile of a histogram over every series that passes the filter, interpolated
 * linearly inside the bucket it falls in (what PromQL's histogram_quantile does).
 * undefined when the histogram has no observations.
 */
export function histogramQuantile(samples: Sample[], name: string, q: number, filter: Filter = all): number | undefined {
  const byEdge = new Map<number, number>();
  for (const sample of samples) {
    if (sample.name !== `${name}_bucket` || !filter(sample.labels)) continue;
    const edge = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
    byEdge.set(edge, (byEdge.get(edge) ?? 0) + sample.value);
  }
  const buckets = [...byEdge].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let lowerEdge = 0;
  let lowerCount = 0;
  for (const [edge, count] of buckets) {
    if (count >= rank) {
      // Past the last finite edge Prometheus answers with that edge; so do we.
      if (edge === Infinity) return lowerEdge;
      return lowerEdge + ((edge - lowerEdge) * (rank - lowerCount)) / Math.max(count - lowerCount, Number.MIN_VALUE);
    }
    lowerEdge = edge;
    lowerCount = count;
  }
  return lowerEdge;
}
