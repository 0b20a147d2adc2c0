// node scripts/bench/compare.ts <before.json> <after.json>
// Prints how far each suite's medians moved between two results files.
import { parseArgs } from 'node:util';
import { compareWithPrevious, readResults } from './results.ts';

const USAGE = 'usage: node scripts/bench/compare.ts <before.json> <after.json>';
let positionals: string[] = [];
try {
  positionals = parseArgs({ allowPositionals: true, options: {} }).positionals;
} catch (error) {
  console.error(`compare: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [beforePath, afterPath] = positionals;
if (positionals.length !== 2 || !beforePath || !afterPath) {
  console.error(USAGE);
  process.exit(2);
}
const compared = compareWithPrevious(readResults(beforePath), readResults(afterPath)!);
for (const [name, record] of Object.entries(compared.suites)) {
  const r = record.findings.runToRun as
    { compared: number; medianChangePercent: number; p90ChangePercent: number; largest: { id: string; change: number } } | undefined;
  if (!r) continue;
  console.log(
    `${name.padEnd(10)} ${String(r.compared).padStart(3)} medians: half moved by <= ${r.medianChangePercent}%, 90% by <= ${r.p90ChangePercent}%, most: ${r.largest.id} ${r.largest.change.toFixed(0)}%`,
  );
}
