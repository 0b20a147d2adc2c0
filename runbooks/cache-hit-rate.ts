#!/usr/bin/env -S npx zx
// Low cache hit rate runbook. Usage: npx zx runbooks/cache-hit-rate.ts --help
import { runRunbook } from './kit/run.ts';
import { cacheHitRate } from './logic/cache-hit-rate.ts';

await runRunbook(cacheHitRate, import.meta.url);
