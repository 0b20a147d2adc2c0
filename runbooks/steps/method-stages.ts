// Steps for rolling back one repository method (`rollback --method <name>`): read every method's stage, and set one method's row to
// legacy. Rolling back all methods needs no step of its own: the runbook's switch of the
// global data_layer row is written last, and the newer row wins (snippets/rollout/method-rollout.ts).
// The steps, as data; checking a --method argument is runbooks/logic/method-stages.ts.
import type { Step } from '../kit/definition.ts';
import { DATA_LAYER_FLAG } from '../../snippets/app/storefront-repository.ts';

export const readMethodStages: Step = {
  id: 'read-method-stages',
  title: 'Read every method’s rollout stage',
  why: 'Each repository method has its own stage; the newer of its row and the global data_layer row is what production runs.',
  sql: `select key, value, updated_at::text as updated_at from feature_flags where key = $1 or key like $2 order by key limit 50`,
  params: [`'${DATA_LAYER_FLAG}'`, `'${DATA_LAYER_FLAG}:%'`],
  kind: 'read',
  lookFor: 'A method at kysely or canary:N newer than the global row is served (partly) by Kysely.',
};

export const switchMethodToLegacy: Step = {
  id: 'switch-method-to-legacy',
  title: 'Switch one method back to legacy',
  why: 'Only the misbehaving method goes back; the others keep their stage. The app re-reads stages every second.',
  sql: `insert into feature_flags (key, value) values ($1, 'legacy')
on conflict (key) do update set value = excluded.value, updated_at = now()`,
  params: [`'${DATA_LAYER_FLAG}:<method>'`],
  kind: 'write',
  lookFor: 'One row written; step "read-method-stages" then shows the method at legacy.',
};
