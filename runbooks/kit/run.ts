// The runner every runbook entry point calls: parse, validate, connect, diagnose,
// report, and only with --execute (and a confirmation) remediate and verify.
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '../../lib/db/redact-url.ts';
import { UsageError, checkConnectionUrl, helpText, parseRunbookArgs } from './args.ts';
import { EXIT, type FlagSpec, type RunbookArgs } from './contract.ts';
import { appendAudit, auditLogPath, checkAuditLogWritable } from './audit.ts';
import { Refusal, type Diagnosis, type RunbookData, type RunbookDefinition } from './definition.ts';
import { Progress, humanReport } from './output.ts';
import { checkRecovery, checkRole, takeRunLock } from './preflight.ts';
import { AbortedError, SaturatedError, Session, StepTimeoutError, UnreachableError } from './session.ts';
import { checkSight, verdictOf, visibilitySteps, withUnseen, type Sight } from './visibility.ts';
import { DATA_VERSIONS, ENVELOPE_VERSION } from './report-schema.ts';

/** Arguments after the script path, whether started by `zx file.ts` or `node file.ts`. */
export function scriptArgs(entryUrl: string, argv = process.argv): string[] {
  const self = fileURLToPath(entryUrl);
  const index = argv.findIndex((arg, i) => i > 0 && resolve(arg) === self);
  return argv.slice(index >= 0 ? index + 1 : 2);
}

/** The SQL a runbook would run, for --dry-run and the docs. */
function dryRunText(definition: RunbookData): string {
  const parts = [`runbook/${definition.slug} would run these steps (nothing was executed):`];
  for (const step of visibilitySteps(definition)) {
    parts.push('', `-- step 0 [read] ${step.title} (the kit checks this before any diagnosis)`);
    if (step.params?.length) parts.push(...step.params.map((param, n) => `--   $${n + 1} = ${param}`));
    parts.push(`${step.sql};`);
  }
  definition.steps.forEach((step, i) => {
    parts.push('', `-- step ${i + 1} [${step.kind}] ${step.title}`);
    if (step.params?.length) parts.push(...step.params.map((param, n) => `--   $${n + 1} = ${param}`));
    parts.push(`${step.sql};`);
  });
  return parts.join('\n');
}

export async function runRunbook<Flags extends readonly FlagSpec[], Data extends object>(
  definition: RunbookDefinition<Flags, Data>,
  entryUrl: string,
): Promise<never> {
  const code = await execute(definition, scriptArgs(entryUrl));
  process.exit(code);
}

async function execute<Flags extends readonly FlagSpec[], Data extends object>(
  definition: RunbookDefinition<Flags, Data>,
  argv: string[],
): Promise<number> {
  const hasWrites = definition.steps.some((step) => step.kind === 'write');
  let args: RunbookArgs<Flags>;
  try {
    args = parseRunbookArgs(argv, definition.flags);
  } catch (error) {
    if (error instanceof UsageError) return usage(definition, error.message);
    throw error;
  }
  const json = args.json;
  if (args.help) {
    console.log(helpText(definition.slug, definition.title, definition.purpose, definition.flags, hasWrites));
    return EXIT.healthy;
  }
  if (args['dry-run']) {
    console.log(dryRunText(definition));
    return EXIT.healthy;
  }
  if (args.execute && !hasWrites) return usage(definition, `runbook/${definition.slug} has no write steps; --execute does nothing here`);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (args.execute && !args.yes && !interactive) {
    return usage(definition, 'refusing to write: no terminal is attached to confirm; pass --yes to confirm in advance');
  }
  const given = args['database-url'] || process.env.DATABASE_URL?.trim();
  if (!given) {
    return usage(
      definition,
      'no target: set DATABASE_URL (e.g. DATABASE_URL=postgres://user@host:5432/storefront) or pass --database-url. The runbook never guesses localhost.',
    );
  }
  let url: string;
  try {
    url = checkConnectionUrl(given, args['database-url'] ? '--database-url' : 'DATABASE_URL');
  } catch (error) {
    return usage(definition, (error as Error).message);
  }
  const auditPath = auditLogPath(args['audit-log']);
  if (args.execute) {
    try {
      checkAuditLogWritable(auditPath);
    } catch (error) {
      return usage(
        definition,
        `cannot write the audit log ${auditPath} (${(error as NodeJS.ErrnoException).code ?? 'error'}); every write must be logged, so nothing was run. Pass --audit-log with a writable path`,
      );
    }
  }

  const progress = new Progress(Boolean(process.stderr.isTTY) && !json);
  const session = new Session(
    url,
    definition.slug,
    definition.steps,
    {
      statementTimeoutMs: args['statement-timeout'],
      lockTimeoutMs: args['lock-timeout'],
      idleInTransactionTimeoutMs: args['idle-in-transaction-timeout'],
    },
    progress,
  );
  let writing = false;
  let sight: Sight | undefined;
  session.onWrite = (step, sql, params, outcome) =>
    appendAudit(auditPath, { runbook: definition.slug, target: redactUrl(url), step: step.id, sql, params, outcome });

  // Ctrl-C: cancel on the server first, then let the failing step roll back and report.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    progress.stop();
    void session.cancelInFlight();
  };
  process.on('SIGINT', onSigint);

  try {
    await session.connect();
    // 0. Can we see what we must? Never a healthy verdict about something hidden from us.
    sight = await checkSight(session, definition.needs ?? []);
    if (definition.needs?.includes('storefront') && !sight.storefront) {
      throw new UsageError(
        `database ${session.target.database} is not a Storefront database (it has no feature_flags or kysely_migration table); runbook/${definition.slug} only applies to the Storefront`,
      );
    }
    await definition.validate?.(session, args);
    const seen = sight;
    // Rows hidden from this role: nothing is judged, so there is nothing to act on either.
    if (seen.unseen.some((gap) => gap.need === 'storefront')) {
      const unjudged = withUnseen({ healthy: false, findings: [], summary: '', next: '', data: {} }, seen.unseen);
      return finish(
        definition,
        unjudged,
        json,
        args.execute && definition.remediate ? ['Nothing was found to fix among what this role can see: no write step was run.'] : [],
      );
    }
    const diagnose = async () => withUnseen(await definition.diagnose(session, args), seen.unseen);
    const diagnosis = await diagnose();
    if (!args.execute || !definition.remediate) return finish(definition, diagnosis, json, []);
    if (verdictOf(diagnosis) !== 'problem' && !definition.actsWhenHealthy) {
      return finish(definition, diagnosis, json, [
        verdictOf(diagnosis) === 'healthy'
          ? 'Nothing to fix: no write step was run.'
          : 'Nothing was found to fix among what this role can see: no write step was run.',
      ]);
    }

    await preflight(definition, session, json);
    if (!args.yes) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(
        `Run the write steps of runbook/${definition.slug} against ${session.target.host}/${session.target.database}? [y/N] `,
      );
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) throw new Refusal('not confirmed; nothing was changed');
    }
    writing = true;
    const result = await definition.remediate(session, args, diagnosis);
    writing = false;
    // Mitigation always ends by checking the problem is gone.
    const after = await diagnose();
    if (result.verified === false) {
      after.healthy = false;
      after.summary = `verification failed after the write steps; ${after.summary}`;
      after.findings.push({ level: 'problem', text: 'verification failed: see the actions above' });
    }
    // A write the server skipped, refused, or that changed nothing was not done, whatever the re-check says.
    if (session.notDone.length) {
      after.healthy = false;
      for (const miss of session.notDone)
        after.findings.push({ level: 'problem', text: `not done: step "${miss.step.title}" ${miss.outcome}` });
      after.summary = `${session.notDone.length} write(s) not done (${session.notDone.map((miss) => miss.outcome).join('; ')}); ${after.summary}`;
    }
    return finish(definition, after, json, result.actions);
  } catch (error) {
    if (error instanceof AbortedError || interrupted) {
      const where = session.current ? `step ${session.current.index}` : ((error as Error).message.match(/step \d+/)?.[0] ?? 'step ?');
      const message = (error as Error).message.startsWith('aborted') ? (error as Error).message : `aborted at ${where}`;
      await session.rollback();
      if (writing || args.execute)
        appendAudit(auditPath, { runbook: definition.slug, target: redactUrl(url), step: where, sql: '', outcome: message });
      console.error(`runbook/${definition.slug}: ${message}; any server-side query was cancelled and the transaction rolled back`);
      return EXIT.interrupted;
    }
    if (error instanceof UsageError) return usage(definition, error.message);
    // Out of slots is the very problem connection-saturation (and the health check) look for.
    if (error instanceof SaturatedError)
      return fail(json, error.message, definition.detectsSaturation ? EXIT.problem : EXIT.unreachable, definition.slug);
    if (error instanceof UnreachableError) return fail(json, error.message, EXIT.unreachable, definition.slug);
    if (error instanceof StepTimeoutError || error instanceof Refusal) return fail(json, error.message, EXIT.problem, definition.slug);
    const err = error as { code?: string; message?: string };
    if (err.code === 'ECONNRESET' || err.code === '57P01' || /Connection terminated/i.test(err.message ?? '')) {
      return fail(
        json,
        `lost the connection to ${session.target.host}:${session.target.port}: ${err.message}`,
        EXIT.unreachable,
        definition.slug,
      );
    }
    if (err.code === '42501') {
      const where = session.current ? ` at step ${session.current.index} (${session.current.step.title})` : '';
      // Refused while writing: the write was not done (exit 1). Refused while reading: a check was not made (exit 4).
      return writing
        ? fail(
            json,
            `permission denied${where}: ${err.message}; the write was not done (see the runbook page for the role to use)`,
            EXIT.problem,
            definition.slug,
          )
        : fail(
            json,
            `could not see${where}: ${err.message}${sight?.unseen.length ? `; ask a DBA to run: ${sight.unseen.map((gap) => gap.grant).join(' ')}` : '; see the runbook page for the grants this role needs'}`,
            EXIT.unseen,
            definition.slug,
          );
    }
    return fail(
      json,
      `${(err.message ?? String(error)).split('\n')[0]}${session.current ? ` (at step ${session.current.index}: ${session.current.step.title})` : ''}`,
      EXIT.problem,
      definition.slug,
    );
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
    await session.close();
  }
}

async function preflight(definition: RunbookData, session: Session, json: boolean): Promise<void> {
  const { target } = session;
  // Before any write, say exactly where it will land.
  const banner = `>>> WRITE MODE: runbook/${definition.slug} on host ${target.host}:${target.port}, database ${target.database}, role ${target.role}`;
  if (json) console.error(banner);
  else console.log(banner);
  const [recovery] = await session.read<{ in_recovery: boolean }>(checkRecovery);
  if (recovery?.in_recovery)
    throw new Refusal('refusing to remediate: this server is a replica (pg_is_in_recovery() = true); run against the primary');
  for (const role of definition.writeRoles ?? []) {
    const [grant] = await session.read<{ granted: boolean; role: string }>(checkRole, [role]);
    if (!grant?.granted) {
      throw new Refusal(
        `role "${grant?.role}" lacks ${role}, which this write needs; ask a DBA to run: GRANT ${role} TO ${grant?.role}; (the runbook never escalates)`,
      );
    }
  }
  const [lock] = await session.read<{ locked: boolean }>(takeRunLock, [`runbook/${definition.slug}`]);
  if (!lock?.locked)
    throw new Refusal(
      `another run of runbook/${definition.slug} is already acting on this server; wait for it to finish (this run changed nothing)`,
    );
}

function exitCodeOf(diagnosis: Diagnosis): number {
  return { healthy: EXIT.healthy, problem: EXIT.problem, unseen: EXIT.unseen }[verdictOf(diagnosis)];
}

function finish(definition: RunbookData, diagnosis: Diagnosis, json: boolean, actions: string[]): number {
  const exitCode = exitCodeOf(diagnosis);
  if (json) {
    console.log(
      JSON.stringify(
        {
          schemaVersion: ENVELOPE_VERSION,
          runbook: definition.slug,
          dataVersion: DATA_VERSIONS[definition.slug] ?? 1,
          verdict: verdictOf(diagnosis),
          exitCode,
          healthy: exitCode === EXIT.healthy,
          summary: diagnosis.summary,
          next: diagnosis.next,
          findings: diagnosis.findings,
          actions,
          data: diagnosis.data,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(humanReport(`${definition.title} (runbook/${definition.slug})`, diagnosis, actions));
  }
  return exitCode;
}

function usage(definition: RunbookData, message: string): number {
  console.error(`runbook/${definition.slug}: ${message}\nRun with --help for the flags and exit codes.`);
  return EXIT.usage;
}

function fail(json: boolean, message: string, code: number, slug: string): number {
  if (json)
    console.log(JSON.stringify({ schemaVersion: ENVELOPE_VERSION, runbook: slug, verdict: 'error', exitCode: code, error: message }));
  console.error(`error: ${message}`);
  return code;
}
