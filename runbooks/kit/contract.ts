// What every runbook promises on its command line, as data: the flag specs and the types
// they parse to, the flags every runbook takes, and the exit codes. The site renders this
// module and the kit enforces it, so it imports nothing: no parser, no database driver.

type FlagType = 'boolean' | 'string' | 'pid' | 'duration' | 'count' | 'identifier' | 'url';

export interface FlagSpec<Name extends string = string, Type extends FlagType = FlagType> {
  readonly name: Name;
  readonly type: Type;
  readonly description: string;
  /** Default as the user would type it ("30s"); parsed like user input. */
  readonly default?: string;
}

/** What the parser turns each type into: durations into milliseconds, PIDs and counts into numbers. */
type Parsed<Type extends FlagType> = Type extends 'boolean' ? boolean : Type extends 'pid' | 'duration' | 'count' ? number : string;

/** A flag's value after parsing: a switch is true or false, a flag with a default always has a value. */
type FlagValue<Spec extends FlagSpec> = Spec['type'] extends 'boolean'
  ? boolean
  : Spec extends { readonly default: string }
    ? Parsed<Spec['type']>
    : Parsed<Spec['type']> | undefined;

/**
 * The parsed arguments of a set of flag specs, one property per flag name. A spec whose name is
 * not a literal (a plain `string`) gives no property, so reading it fails to compile instead of
 * opening an index signature that would let any misspelling through.
 */
export type ArgsOf<Spec extends FlagSpec> = {
  -readonly [Each in Spec as LiteralName<Each['name']>]: FlagValue<Each>;
};

type LiteralName<Name extends string> = string extends Name ? never : Name;

export const COMMON_FLAGS = [
  { name: 'database-url', type: 'url', description: 'Target database (default: $DATABASE_URL). Never defaults to localhost.' },
  { name: 'json', type: 'boolean', description: 'Print one JSON document instead of the human report.' },
  { name: 'dry-run', type: 'boolean', description: 'Print the exact SQL of every step and exit without connecting.' },
  { name: 'execute', type: 'boolean', description: 'Run the write steps (after a banner and a confirmation).' },
  { name: 'yes', type: 'boolean', description: 'Confirm the write steps without asking (required when no terminal is attached).' },
  {
    name: 'audit-log',
    type: 'string',
    description: 'Where writes are logged as JSON lines (default: $RUNBOOK_AUDIT_LOG or ~/.handbook/runbook-audit.jsonl).',
  },
  { name: 'statement-timeout', type: 'duration', default: '15s', description: 'Server-side limit for each statement.' },
  { name: 'lock-timeout', type: 'duration', default: '2s', description: 'Give up waiting for a lock after this long.' },
  {
    name: 'idle-in-transaction-timeout',
    type: 'duration',
    default: '60s',
    description: 'The server ends this session if it idles inside a transaction this long.',
  },
  { name: 'help', type: 'boolean', description: 'Show this help.' },
] as const satisfies readonly FlagSpec[];

type CommonFlag = (typeof COMMON_FLAGS)[number];

/** What a runbook's code receives: its own flags and the common ones, each typed by its spec. */
export type RunbookArgs<Flags extends readonly FlagSpec[]> = ArgsOf<Flags[number] | CommonFlag>;

export const PROMETHEUS_FLAG = {
  name: 'prometheus-url',
  type: 'string',
  description:
    "Prometheus to ask (default: $PROMETHEUS_URL), e.g. http://prometheus:9090: evaluates the alert's own PromQL now and shows its series.",
} as const satisfies FlagSpec;

/** The environment variable --metrics-url falls back to (runbooks/kit/metrics-window.ts reads it). */
export const METRICS_URL_ENV = 'STOREFRONT_METRICS_URL';

/** --metrics-url, for the runbooks that sample the Storefront's /metrics over their window; `tail` says what for. */
export function metricsUrlFlag(tail: string): FlagSpec<'metrics-url', 'string'> {
  return { name: 'metrics-url', type: 'string', description: `Storefront metrics endpoint (default: $${METRICS_URL_ENV})${tail}` };
}

export const EXIT = { healthy: 0, problem: 1, usage: 2, unreachable: 3, unseen: 4, interrupted: 130 } as const;

/** What each exit code means; --help and the runbook pages both print this list. */
export const EXIT_CODES: readonly [number, string][] = [
  [0, 'healthy (or the problem was fixed and verified)'],
  [1, 'the problem this runbook looks for was found, or a write was refused, skipped by the server, changed nothing or could not fix it'],
  [2, 'bad usage: invalid flag or value, missing DATABASE_URL, unknown table, unconfirmed write'],
  [3, 'database unreachable or authentication failed'],
  [
    4,
    'could not see: a check was not made (a grant is missing, or the check failed) and nothing it could see was wrong; the report names what it could not see and the grant',
  ],
  [130, 'interrupted with Ctrl-C (the in-flight query was cancelled on the server and rolled back)'],
];
