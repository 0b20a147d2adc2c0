#!/usr/bin/env -S npx zx
// Error spike runbook. Usage: npx zx runbooks/error-spike.ts --help
import { runRunbook } from './kit/run.ts';
import { errorSpike } from './logic/error-spike.ts';

await runRunbook(errorSpike, import.meta.url);
