// The database-down runbook against a real server that is really down: stopped,
// and in a crash loop from a bad setting. It must name the cause from the log.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DebianCluster } from '../../scripts/db/debian-cluster.ts';
import { missingDebianPostgres, skipUnlessCi } from '../support/executables.ts';
import { runbook } from './run-runbook.ts';

const missing = skipUnlessCi(missingDebianPostgres());

let cluster: DebianCluster;

beforeAll(async () => {
  if (missing) return;
  cluster = await DebianCluster.create();
  await cluster.start();
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
});

describe.skipIf(Boolean(missing))('database-down runbook', () => {
  test('exits 0 when the server is up and has run longer than --recent, 1 when it just restarted', async () => {
    const up = await runbook('database-down', ['--recent', '1ms'], { url: cluster.url() });
    expect(up.code, up.output).toBe(0);
    expect(up.stdout).toContain('accepts connections');
    const recent = await runbook('database-down', ['--recent', '1h'], { url: cluster.url() });
    expect(recent.code, recent.output).toBe(1);
    expect(recent.stdout).toMatch(/restarted \d+ s ago/);
  });

  test('a stopped server: connection refused, and on the host the log says it was shut down cleanly', async () => {
    await cluster.stop();
    const remote = await runbook('database-down', [], { url: cluster.url() });
    expect(remote.code, remote.output).toBe(1);
    expect(remote.stdout).toContain('connection refused');
    expect(remote.stdout).toContain('Run this runbook on the database host with --data-dir');
    const local = await runbook('database-down', ['--data-dir', cluster.dataDir, '--json'], { url: cluster.url() });
    expect(local.code, local.output).toBe(1);
    const report = JSON.parse(local.stdout);
    expect(report.summary).toContain('clean-shutdown');
    expect(report.findings.map((finding: { text: string }) => finding.text).join('\n')).toContain('no postmaster.pid');
  });

  test('a crash loop from a bad setting: names the parameter, and after the fix the server starts and the runbook exits 0', async () => {
    const conf = join(cluster.dataDir, 'postgresql.conf');
    const original = readFileSync(conf, 'utf8');
    writeFileSync(conf, `${original}shared_buffers = 'lots'\n`);
    for (let attempt = 0; attempt < 2; attempt++) await expect(cluster.start(5000)).rejects.toThrow(/exited during start-up/);
    const result = await runbook('database-down', ['--data-dir', cluster.dataDir], { url: cluster.url() });
    expect(result.code, result.output).toBe(1);
    expect(result.stdout).toContain('invalid value for parameter "shared_buffers"');
    expect(result.stdout).toMatch(/crash loop: \d+ of \d+ start attempts/);
    expect(result.stdout).toContain('Fix or remove that line');
    writeFileSync(conf, original);
    await cluster.start();
    const fixed = await runbook('database-down', ['--recent', '1ms', '--data-dir', cluster.dataDir], { url: cluster.url() });
    expect(fixed.code, fixed.output).toBe(0);
  }, 60_000);

  test('bad usage exits 2 with one line', async () => {
    const result = await runbook('database-down', ['--data-dir', '/nonexistent/i14'], { url: cluster.url() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--data-dir /nonexistent/i14 does not exist');
  });
});
