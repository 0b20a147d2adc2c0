// Where `npm run bench` writes its measurements and the site reads them (relative to PROJECT_ROOT):
// one definition for the writer (scripts/bench/results.ts) and the reader (site/lib/bench-results.ts).
export const BENCH_RESULTS_FILE = 'site/data/bench-results.json';
