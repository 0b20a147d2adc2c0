// `rollback --method <name>`: which names a user may give, and the feature_flags row each one
// has. The steps that read and write those rows are runbooks/steps/method-stages.ts.
import { UsageError } from '../kit/args.ts';
import { METHODS, methodFlag, type Method } from '../../snippets/rollout/method-rollout.ts';

/** Validates a --method argument; the message lists the names a user may give. */
export function methodArgument(value: string): { method: Method; flag: string } {
  if (!(METHODS as readonly string[]).includes(value))
    throw new UsageError(`--method must be one of ${METHODS.join(', ')}; got "${value}"`);
  return { method: value as Method, flag: methodFlag(value as Method) };
}
