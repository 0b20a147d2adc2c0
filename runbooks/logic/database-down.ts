// Database down, the logic: try to connect and, on the database host, read postmaster.pid, the
// server log and the free disk space. It does not go through the kit's session (which needs a
// connection). The flags and the known causes are runbooks/steps/database-down.ts.
import { existsSync, readdirSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { UsageError, checkConnectionUrl, helpText, parseRunbookArgs } from '../kit/args.ts';
import { EXIT, type RunbookArgs } from '../kit/contract.ts';
import type { Diagnosis, Finding } from '../kit/definition.ts';
import { humanReport } from '../kit/output.ts';
import { describeTarget } from '../kit/session.ts';
import { redactUrl } from '../../lib/db/redact-url.ts';
import { CAUSES, FLAGS, PURPOSE, SLUG, TITLE, type Cause } from '../steps/database-down.ts';

type DownArgs = RunbookArgs<typeof FLAGS>;

interface ConnectResult {
  ok: boolean;
  code?: string;
  message?: string;
  startedSecondsAgo?: number;
}

async function tryConnect(url: string): Promise<ConnectResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, application_name: `runbook/${SLUG}` });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ seconds: number }>(
      `select extract(epoch from now() - pg_postmaster_start_time())::float8 as seconds`,
    );
    return { ok: true, startedSecondsAgo: rows[0]!.seconds };
  } catch (error) {
    const err = error as { code?: string; message?: string };
    return { ok: false, code: err.code, message: (err.message ?? String(error)).split('\n')[0] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The diagnosis's data (--json `data`). */
interface DownData {
  target: string;
  connection: ConnectResult;
}

/** What a failed connection means, before any log is read. */
function connectionMeaning(result: ConnectResult): string {
  switch (result.code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens on that port (the server is stopped, crashed, or failing to start)';
    case '57P03':
      return `the server is up but not accepting connections yet: ${result.message} (crash recovery or start-up in progress)`;
    case '53300':
      return 'the server is up but out of connection slots: follow the connection-saturation runbook from a superuser session';
    case '28P01':
    case '28000':
      return 'the server is up but refused the credentials: this is not an outage of PostgreSQL';
    case '3D000':
      return 'the server is up but the database does not exist';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no answer from the host (${result.code}): a network, firewall or host problem, or a server hung without accepting`;
    default:
      return /timeout/i.test(result.message ?? '')
        ? 'no answer within 3 s: the host is unreachable or the server is hung'
        : `cannot connect: ${result.message}`;
  }
}

/** The newest log file: --log-file, else <data-dir>/log/*, else Debian's default. */
function findLog(dataDir: string | undefined, logFile: string | undefined): string | undefined {
  if (logFile) return logFile;
  const candidates: string[] = [];
  if (dataDir && existsSync(join(dataDir, 'log'))) {
    for (const name of readdirSync(join(dataDir, 'log'))) candidates.push(join(dataDir, 'log', name));
  }
  if (dataDir && existsSync(join(dataDir, 'server.log'))) candidates.push(join(dataDir, 'server.log'));
  // Debian's default log belongs to the packaged cluster: only when the data directory has none.
  if (candidates.length === 0 && existsSync('/var/log/postgresql/postgresql-15-main.log'))
    return '/var/log/postgresql/postgresql-15-main.log';
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** The most recent known cause in the log's last lines, and how many start attempts they show. */
function readCause(logText: string): { cause?: Cause; match?: RegExpExecArray; line?: string; starts: number; ready: number } {
  const lines = logText.trimEnd().split('\n').slice(-300);
  // A start that fails on its configuration never logs "starting PostgreSQL", only the FATAL.
  const starts = lines.filter((line) => /starting PostgreSQL \d+|FATAL: +configuration file "[^"]+" contains errors/.test(line)).length;
  const ready = lines.filter((line) => /database system is ready to accept connections/.test(line)).length;
  // The newest line that matches any cause wins: it is what happened last.
  for (let i = lines.length - 1; i >= 0; i--) {
    for (const cause of CAUSES) {
      const match = cause.pattern.exec(lines[i]!);
      if (!match) continue;
      // "contains errors" closes a start attempt; the line naming the parameter comes just before it.
      for (let j = i - 1; cause.id === 'config-error' && j >= Math.max(0, i - 5); j--) {
        const specific =
          /(invalid value for parameter "[^"]+"[^\n]*|unrecognized configuration parameter "[^"]+"[^\n]*|syntax error in file "[^"]+"[^\n]*)/.exec(
            lines[j]!,
          );
        if (specific) return { cause, match: specific, line: lines[j]!.trim(), starts, ready };
      }
      return { cause, match, line: lines[i]!.trim(), starts, ready };
    }
  }
  return { starts, ready };
}

async function diagnoseDown(url: string, args: DownArgs): Promise<Diagnosis<DownData>> {
  const findings: Finding[] = [];
  const target = describeTarget(url);
  const where = `${target.host}:${target.port}/${target.database}`;
  const connected = await tryConnect(url);
  const recentSeconds = args.recent / 1000;
  const dataDir = args['data-dir'];
  let summary: string;
  let next: string;
  let healthy = false;

  if (connected.ok) {
    const restarted = connected.startedSecondsAgo! < recentSeconds;
    findings.push({
      level: restarted ? 'problem' : 'ok',
      text: `PostgreSQL at ${where} accepts connections; it started ${Math.round(connected.startedSecondsAgo!)} s ago`,
    });
    healthy = !restarted;
    summary = restarted
      ? `PostgreSQL at ${where} is up, but restarted ${Math.round(connected.startedSecondsAgo!)} s ago`
      : `PostgreSQL at ${where} is up`;
    next = restarted
      ? 'Read the log before the restart (re-run with --data-dir on the host) to find whether it crashed.'
      : 'Nothing to do here. If the alert still fires, check that postgres_exporter itself is running and can log in.';
  } else {
    findings.push({ level: 'problem', text: `PostgreSQL at ${where} does not accept connections: ${connectionMeaning(connected)}` });
    summary = `PostgreSQL at ${where} is down (${connected.code ?? 'no answer'})`;
    next = dataDir
      ? 'See the cause above.'
      : 'Run this runbook on the database host with --data-dir (and --log-file if the log is elsewhere) to find the cause.';
    if (connected.code === '28P01' || connected.code === '28000' || connected.code === '3D000' || connected.code === '53300')
      healthy = false;
  }

  if (dataDir) {
    if (!existsSync(dataDir)) throw new UsageError(`--data-dir ${dataDir} does not exist`);
    const pidFile = join(dataDir, 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      let alive: boolean;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (error) {
        alive = (error as NodeJS.ErrnoException).code === 'EPERM';
      }
      findings.push({
        level: alive ? 'info' : 'problem',
        text: `postmaster.pid names PID ${pid}, which ${alive ? 'is running' : 'is not running (a stale lock file from a crash or a kill)'}`,
      });
    } else {
      findings.push({ level: connected.ok ? 'info' : 'problem', text: 'no postmaster.pid: no server is running on this data directory' });
    }
    const disk = statfsSync(dataDir);
    const free = disk.bavail * disk.bsize;
    const share = disk.bavail / disk.blocks;
    const full = share < 0.05;
    findings.push({
      level: full ? 'problem' : 'ok',
      text: `${(free / 1024 ** 3).toFixed(1)} GiB free on the data directory's filesystem (${(share * 100).toFixed(0)}%)`,
    });
    const log = findLog(dataDir, args['log-file']);
    if (!log || !existsSync(log)) {
      findings.push({
        level: 'info',
        text: 'no server log found: pass --log-file (see log_directory and log_filename, or journalctl -u postgresql@15-main)',
      });
    } else {
      const found = readCause(readFileSync(log, 'utf8'));
      findings.push({
        level: 'info',
        text: `read the last lines of ${log}: ${found.starts} start attempt(s), ${found.ready} reached "ready to accept connections"`,
      });
      if (found.starts >= 2 && found.ready < found.starts)
        findings.push({
          level: 'problem',
          text: `crash loop: ${found.starts - found.ready} of ${found.starts} start attempts in the log never became ready`,
        });
      if (found.cause && !(connected.ok && found.cause.id === 'clean-shutdown')) {
        findings.push({ level: connected.ok ? 'info' : 'problem', text: `cause: ${found.cause.meaning(found.match!)}` });
        findings.push({ level: 'info', text: `  log: ${found.line}` });
        if (!connected.ok) {
          summary = `${summary}: ${found.cause.id}`;
          next = found.cause.next;
        }
      } else if (!connected.ok) {
        findings.push({ level: 'info', text: 'no known cause in the log; read its last FATAL and PANIC lines yourself' });
      }
    }
    if (full && !connected.ok) {
      summary = `${summary}: the disk is full`;
      next = CAUSES[0]!.next;
    }
  }
  return { healthy, findings, summary, next, data: { target: redactUrl(url), connection: connected } };
}

export async function runDatabaseDown(argv: string[]): Promise<number> {
  let args: DownArgs;
  try {
    args = parseRunbookArgs(argv, FLAGS);
    if (args.execute) throw new UsageError(`runbook/${SLUG} has no write steps; --execute does nothing here`);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (args.help) {
    console.log(helpText(SLUG, TITLE, PURPOSE, FLAGS, false));
    return EXIT.healthy;
  }
  if (args['dry-run']) {
    console.log(
      `runbook/${SLUG} runs no SQL but: select extract(epoch from now() - pg_postmaster_start_time()); it reads postmaster.pid, the server log and the free disk space under --data-dir.`,
    );
    return EXIT.healthy;
  }
  const raw = args['database-url'] || process.env.DATABASE_URL?.trim();
  if (!raw) return usage('no target: set DATABASE_URL or pass --database-url. The runbook never guesses localhost.');
  let url: string;
  try {
    url = checkConnectionUrl(raw, args['database-url'] ? '--database-url' : 'DATABASE_URL');
  } catch (error) {
    return usage((error as Error).message);
  }
  let diagnosis: Diagnosis<DownData>;
  try {
    diagnosis = await diagnoseDown(url, args);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (args.json)
    console.log(
      JSON.stringify(
        {
          runbook: SLUG,
          healthy: diagnosis.healthy,
          summary: diagnosis.summary,
          next: diagnosis.next,
          findings: diagnosis.findings,
          data: diagnosis.data,
        },
        null,
        2,
      ),
    );
  else console.log(humanReport(`${TITLE} (runbook/${SLUG})`, diagnosis));
  return diagnosis.healthy ? EXIT.healthy : EXIT.problem;
}

function usage(message: string): number {
  console.error(`runbook/${SLUG}: ${message}\nRun with --help for the flags and exit codes.`);
  return EXIT.usage;
}
