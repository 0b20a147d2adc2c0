#!/usr/bin/env -S npx zx
// Rollback runbook. Usage: npx zx runbooks/rollback.ts --help
import { runRunbook } from './kit/run.ts';
import { rollback } from './logic/rollback.ts';

await runRunbook(rollback, import.meta.url);
