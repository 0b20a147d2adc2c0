// The hosted workflow sets CI=true, which turns a missing system tool into a failing test.
// So it must install every Debian package that .ci/run installs, and run every layer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import config from '../../vitest.config.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const ciRun = readFileSync(join(PROJECT_ROOT, '.ci/run'), 'utf8');
const workflow = parse(readFileSync(join(PROJECT_ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
  jobs: Record<string, { container?: string; needs?: string[]; if?: string; steps: { run?: string; uses?: string }[] }>;
};
const layers = (config.test?.projects ?? []).map((project) => (project as { test: { name: string } }).test.name);

/** Debian package names that .ci/run adds to its install list. */
const ciRunPackages = [...ciRun.matchAll(/need\+=\(([\w.-]+)\)/g)].map((match) => match[1]!);

describe('the hosted CI workflow', () => {
  test('installs, in its Debian job, every package .ci/run installs', () => {
    const debian = Object.values(workflow.jobs).find((job) => job.container?.startsWith('debian:'));
    expect(debian).toBeDefined();
    const installed = debian!.steps.map((step) => step.run ?? '').join('\n');
    expect(ciRunPackages.length).toBeGreaterThan(4);
    for (const name of ciRunPackages) expect(installed, name).toMatch(new RegExp(`\\b${name.replace('.', '\\.')}\\b`));
  });

  test('installs, in the job that runs the db layer on Ubuntu, the tools that layer requires under CI=true', () => {
    // test/snippets/setup/pgbouncer.test.ts and test/snippets/rollout/method-rollout.test.ts (promtool).
    const database = Object.values(workflow.jobs).find(
      (job) => !job.container && job.steps.some((step) => /--project db/.test(step.run ?? '')),
    );
    const installed = database!.steps.map((step) => step.run ?? '').join('\n');
    for (const name of ['pgbouncer', 'prometheus']) expect(installed, name).toMatch(new RegExp(`apt-get install .*\\b${name}\\b`));
  });

  test('runs every test layer somewhere', () => {
    const commands = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((step) => step.run ?? ''))
      .join('\n');
    expect(layers).toEqual(['unit', 'db', 'runbooks', 'monitoring', 'site']);
    for (const layer of layers) expect(commands, layer).toContain(`--project ${layer}`);
  });

  test('.ci/run runs the README test command on the embedded server, then the database layers on PostgreSQL 15', () => {
    expect(ciRun).toMatch(/HANDBOOK_DB=embedded npm test\n/);
    expect(ciRun).toMatch(
      /DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:5432\/postgres npm test -- --project db --project runbooks --project monitoring --exclude '\*\*\/\*\.cluster\.test\.ts'\n/,
    );
  });

  // The second server's run leaves out *.cluster.test.ts: they must be exactly the files that
  // start a cluster of their own and never the shared server, or a test would run on one
  // PostgreSQL version only without anyone deciding so.
  test('the files the PostgreSQL 15 run leaves out start their own cluster and never use the target server', () => {
    const testFiles = (function walk(dir: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [join(dir, entry.name)] : [],
      );
    })(join(PROJECT_ROOT, 'test'));
    const ownCluster = /import\s*\{[^}]*\b(DebianCluster|MonitoringStack|missingDebianPostgres)\b[^}]*\}\s*from/;
    const usesTarget = /harness\/database\.ts|\binject\(\s*'(adminUrl|templateUrl|databaseSource)'/;
    const named = testFiles.filter((file) => file.endsWith('.cluster.test.ts'));
    expect(named.length).toBeGreaterThan(0);
    for (const file of testFiles) {
      const code = readFileSync(file, 'utf8');
      const path = file.slice(PROJECT_ROOT.length + 1);
      expect(file.endsWith('.cluster.test.ts'), `${path}: starts its own cluster iff named *.cluster.test.ts`).toBe(ownCluster.test(code));
      if (file.endsWith('.cluster.test.ts')) expect(usesTarget.test(code), `${path} uses the target server`).toBe(false);
    }
    const secondRun = Object.values(workflow.jobs)
      .flatMap((job) => job.steps.map((step) => step.run ?? ''))
      .find((run) => /--project db --project runbooks --project monitoring/.test(run) && !/embedded/.test(run));
    expect(secondRun).toContain("--exclude '**/*.cluster.test.ts'");
  });

  test('publishes the site only from main, after every job that runs tests has passed, and nowhere else', () => {
    const testing = Object.entries(workflow.jobs)
      .filter(([, job]) => job.steps.some((step) => /npm test/.test(step.run ?? '')))
      .map(([name]) => name);
    const publishing = Object.entries(workflow.jobs).filter(([, job]) =>
      job.steps.some((step) => step.uses?.startsWith('actions/deploy-pages')),
    );
    expect(publishing).toHaveLength(1);
    const [, pages] = publishing[0]!;
    expect([...(pages.needs ?? [])].sort()).toEqual([...testing].sort());
    expect(pages.if).toMatch(/refs\/heads\/main/);
    const others = readdirSync(join(PROJECT_ROOT, '.github/workflows')).filter((file) => file !== 'ci.yml');
    for (const file of others)
      expect(readFileSync(join(PROJECT_ROOT, '.github/workflows', file), 'utf8'), file).not.toMatch(/deploy-pages|npm test/);
  });
});
