// What produced a set of figures: a number without its machine means little.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import type pg from 'pg';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

export interface BenchEnvironment {
  date: string;
  postgres: string;
  /** "embedded", "url" or "container", from the database resolver. */
  databaseSource: string;
  cpuModel: string;
  cpuCount: number;
  memoryGb: number;
  os: string;
  node: string;
  kysely: string;
  pg: string;
  gitCommit: string;
  /** 1-minute load average when the run started and ended: above the CPU count means other work competed. */
  loadAverage: { start: number; end: number };
  notes: string[];
}

function packageVersion(name: string): string {
  try {
    // Read the file: some packages' "exports" hide package.json from require().
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      [
        'status',
        '--porcelain',
        '--',
        'scripts/bench',
        'scripts/bench.ts',
        'snippets/app',
        'snippets/trees',
        'snippets/caching',
        'snippets/relations',
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    ).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

export async function captureEnvironment(pool: pg.Pool, databaseSource: string, notes: string[] = []): Promise<BenchEnvironment> {
  const { rows } = await pool.query<{ version: string }>('select version()');
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    postgres: rows[0]!.version.split(' on ')[0]!,
    databaseSource,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    kysely: packageVersion('kysely'),
    pg: packageVersion('pg'),
    gitCommit: gitCommit(),
    loadAverage: { start: round(loadavg()[0]!), end: Number.NaN },
    notes,
  };
}

const SHARED_NOTE =
  'Other processes shared the CPUs during this run (load average above the CPU count): absolute timings are noisier than on an idle machine.';

export function finishEnvironment(environment: BenchEnvironment): BenchEnvironment {
  const loadAverage = { ...environment.loadAverage, end: round(loadavg()[0]!) };
  const shared = Math.max(loadAverage.start, loadAverage.end) > environment.cpuCount;
  const notes = shared && !environment.notes.includes(SHARED_NOTE) ? [...environment.notes, SHARED_NOTE] : environment.notes;
  return { ...environment, loadAverage, notes };
}

const round = (value: number) => Math.round(value * 100) / 100;
