// Developer commands parse their arguments with node:util parseArgs: a wrong flag or a
// missing argument is a short message and exit 2, never a stack trace or a silent default.
import { describe, expect, test } from 'vitest';
import { runNode } from '../support/run-command.ts';

const node = (script: string, args: string[]) => runNode([script, ...args], { timeoutMs: 30_000 });

describe('bad usage of the developer commands', () => {
  test.each([
    ['scripts/bench/compare.ts', ['only-one.json'], /usage: node scripts\/bench\/compare\.ts <before\.json> <after\.json>/],
    ['scripts/bench/compare.ts', ['--bogus', 'a.json', 'b.json'], /Unknown option '--bogus'/],
    ['scripts/site/serve-dist.ts', ['--port', 'eighty'], /--port must be a port number from 1 to 65535, got "eighty"/],
    ['scripts/db/types-codegen.ts', ['--verfy'], /Unknown option '--verfy'/],
  ])('%s %j exits 2 with a message', async (script, args, message) => {
    const run = await node(script, args);
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.output).not.toMatch(/\n\s+at /);
  });
});
