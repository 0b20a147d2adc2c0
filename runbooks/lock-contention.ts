#!/usr/bin/env -S npx zx
// Lock contention runbook. Usage: npx zx runbooks/lock-contention.ts --help
import { runRunbook } from './kit/run.ts';
import { lockContention } from './logic/lock-contention.ts';

await runRunbook(lockContention, import.meta.url);
