#!/usr/bin/env -S npx zx
// Daily health check. Usage: npx zx runbooks/health-check.ts --help
import { runRunbook } from './kit/run.ts';
import { healthCheck } from './logic/health-check.ts';

await runRunbook(healthCheck, import.meta.url);
