#!/usr/bin/env -S npx zx
// Connection saturation runbook. Usage: npx zx runbooks/connection-saturation.ts --help
import { runRunbook } from './kit/run.ts';
import { connectionSaturation } from './logic/connection-saturation.ts';

await runRunbook(connectionSaturation, import.meta.url);
