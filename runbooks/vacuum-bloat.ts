#!/usr/bin/env -S npx zx
// Vacuum and bloat runbook. Usage: npx zx runbooks/vacuum-bloat.ts --help
import { runRunbook } from './kit/run.ts';
import { vacuumBloat } from './logic/vacuum-bloat.ts';

await runRunbook(vacuumBloat, import.meta.url);
