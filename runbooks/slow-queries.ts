#!/usr/bin/env -S npx zx
// Slow queries runbook. Usage: npx zx runbooks/slow-queries.ts --help
import { runRunbook } from './kit/run.ts';
import { slowQueries } from './logic/slow-queries.ts';

await runRunbook(slowQueries, import.meta.url);
