// The --json contract: one envelope for every runbook, and a `data` member whose shape
// each runbook documents on its page. Automation may rely on everything listed as
// required; a breaking change bumps the version. A test validates real output against these.

/** JSON Schema (draft-07) of a value that may also be null. */
const nullable = (type: string) => ({ type: [type, 'null'] });
const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const strings = { type: 'array', items: str };
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', properties, required });
const list = (items: Record<string, unknown>) => ({ type: 'array', items });

/** Version of the envelope (`schemaVersion`); the fields below it never change meaning within a version. */
export const ENVELOPE_VERSION = 1;

/** Version of each runbook's `data` (`dataVersion`). */
export const DATA_VERSIONS: Record<string, number> = {
  'health-check': 1,
  'connection-saturation': 1,
  'vacuum-bloat': 1,
  rollback: 1,
  'lock-contention': 1,
  'slow-queries': 1,
  'cache-hit-rate': 1,
  'error-spike': 1,
  'wal-growth': 1,
};

const holder = object({
  holder: str,
  pid: nullable('integer'),
  role: nullable('string'),
  application_name: nullable('string'),
  state: nullable('string'),
  xact_seconds: nullable('number'),
  xmin_age: nullable('integer'),
  query: nullable('string'),
});

/**
 * Each runbook's `data`. The runbooks owned by the alerting work (slow-queries, lock-contention,
 * cache-hit-rate, error-spike) document their members without requiring them yet.
 */
const DATA_SCHEMAS: Record<string, Record<string, unknown>> = {
  'health-check': object({
    checks: list(
      object({
        slug: str,
        status: { enum: ['healthy', 'problem', 'unseen', 'not-applicable'] },
        healthy: bool,
        summary: str,
        next: str,
        ms: int,
      }),
    ),
  }),
  'connection-saturation': object({
    usage: object({ used: int, hidden: int, max_connections: int, reserved: int, reserved_for_roles: int }),
    groups: list(object({ datname: nullable('string'), state: str, application_name: nullable('string'), client: str, connections: int })),
    idleInTransaction: list(
      object({
        pid: int,
        role: nullable('string'),
        application_name: nullable('string'),
        client: str,
        backend_start: str,
        query_start: nullable('string'),
        idle_seconds: num,
        xact_seconds: nullable('number'),
        last_query: nullable('string'),
      }),
    ),
  }),
  'vacuum-bloat': object({
    tables: list(
      object({
        table_name: str,
        live: int,
        dead: int,
        dead_ratio: nullable('number'),
        table_bytes: int,
        estimated_bloat_bytes: nullable('integer'),
        last_vacuum: nullable('string'),
        last_autovacuum: nullable('string'),
        autovacuum_off: bool,
      }),
    ),
    needsVacuum: strings,
    snapshotHolders: list(holder),
  }),
  rollback: object({
    flag: { oneOf: [{ type: 'null' }, object({ value: str, updated_at: str })] },
    applied: list(object({ name: str, applied_at: str })),
    pending: strings,
    unknown: strings,
    counts: { type: 'object', additionalProperties: int },
    missingTables: strings,
  }),
  'lock-contention': object({ roots: { type: 'array' }, sessions: { type: 'array' }, oldTransactions: { type: 'array' } }, []),
  'slow-queries': object({ pgStatStatements: {}, topStatements: { type: 'array' }, longRunning: { type: 'array' } }, []),
  'cache-hit-rate': object({ databases: { type: 'array' }, tables: { type: 'array' } }, []),
  'error-spike': object({ windowMs: num, delta: { type: 'object' } }, []),
  'wal-growth': object({ wal: {}, slots: { type: 'array' }, archiver: {}, abandoned: strings }, ['slots', 'abandoned']),
};

const finding = object({ level: { enum: ['ok', 'info', 'problem', 'unseen'] }, text: str });

/** The document a run prints with --json when it reached a verdict. */
export function reportSchema(slug: string): Record<string, unknown> {
  const data = DATA_SCHEMAS[slug];
  if (!data) throw new Error(`no JSON schema for runbook ${slug}`);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `runbook/${slug} --json report`,
    ...object({
      schemaVersion: { const: ENVELOPE_VERSION },
      runbook: { const: slug },
      dataVersion: { const: DATA_VERSIONS[slug] },
      verdict: { enum: ['healthy', 'problem', 'unseen'] },
      exitCode: { enum: [0, 1, 4] },
      healthy: bool,
      summary: str,
      next: str,
      findings: list(finding),
      actions: strings,
      // Empty when the role could not read what the runbook needs (verdict "unseen").
      data: { anyOf: [data, { type: 'object', maxProperties: 0 }] },
    }),
  };
}

/** The document a run prints with --json when it stopped on an error (unreachable, refused, timeout). */
export const ERROR_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'runbook --json error',
  ...object({
    schemaVersion: { const: ENVELOPE_VERSION },
    runbook: str,
    verdict: { const: 'error' },
    exitCode: { enum: [1, 3, 4] },
    error: str,
  }),
};
