#!/usr/bin/env -S npx zx
// Database down runbook. Usage: npx zx runbooks/database-down.ts --help
import { scriptArgs } from './kit/run.ts';
import { runDatabaseDown } from './logic/database-down.ts';

process.exit(await runDatabaseDown(scriptArgs(import.meta.url)));
