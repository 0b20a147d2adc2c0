#!/usr/bin/env -S npx zx
// WAL growth runbook. Usage: npx zx runbooks/wal-growth.ts --help
import { runRunbook } from './kit/run.ts';
import { walGrowth } from './logic/wal-growth.ts';

await runRunbook(walGrowth, import.meta.url);
