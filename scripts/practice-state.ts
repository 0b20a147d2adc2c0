// Where the practice sandbox and running drills leave their state, so `npm run drill`
// finds the sandbox and `--clear` finds the drill processes. The default folder is
// gitignored; HANDBOOK_STATE_DIR moves it (the tests use a temporary one, so running
// `npm test` never touches a sandbox or drill you have open).
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/project-root.ts';

export const STATE_DIR = process.env.HANDBOOK_STATE_DIR || join(PROJECT_ROOT, '.handbook');
export const SANDBOX_STATE = join(STATE_DIR, 'sandbox.json');
export const DRILL_STATE = join(STATE_DIR, 'drill.json');
