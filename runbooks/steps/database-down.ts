// Database down: the one runbook that must work when PostgreSQL does not answer.
// It does not go through the kit's session (which needs a connection); it tries to
// connect, says what the failure means, and, run on the database host with
// --data-dir, reads postmaster.pid, the server log and the free disk space to name
// the cause: a clean shutdown, a configuration error in a crash loop, a full disk,
// a killed server, a missing WAL file.
import { existsSync, readdirSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { EXIT, UsageError, checkConnectionUrl, helpText, parseRunbookArgs, type FlagSpec, type ParsedArgs } from '../kit/args.ts';
import type { Diagnosis, Finding } from '../kit/definition.ts';
import { humanReport } from '../kit/output.ts';
import { describeTarget } from '../kit/session.ts';
import { redactUrl } from '../../lib/db/redact-url.ts';

const SLUG = 'database-down';
const TITLE = 'Database down';
const PURPOSE =
  'Tries to connect and says what the failure means; on the database host, with --data-dir, reads postmaster.pid, the server log and the free disk space to name the cause (clean shutdown, configuration error in a crash loop, full disk, killed server, missing WAL). It never changes anything.';

const FLAGS: FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    description: 'The data directory, when run on the database host (e.g. /var/lib/postgresql/15/main).',
  },
  {
    name: 'log-file',
    type: 'string',
    description: 'The server log (default: the newest file in <data-dir>/log, else /var/log/postgresql/postgresql-15-main.log).',
  },
  {
    name: 'recent',
    type: 'duration',
    default: '10m',
    description: 'A server that started less recently than this is reported as restarted.',
  },
];

/** One known cause: the log line that shows it, what it means, and what to do. */
interface Cause {
  id: string;
  /** What it is, for the page. */
  title: string;
  pattern: RegExp;
  meaning: (match: RegExpExecArray) => string;
  next: string;
}

// #region causes
export const CAUSES: Cause[] = [
  {
    id: 'disk-full',
    title: 'the disk under the data directory is full',
    pattern: /No space left on device/,
    meaning: () => 'the disk under the data directory is full: PostgreSQL cannot write WAL or data',
    next: 'Free space without touching pg_wal by hand: follow the wal-growth runbook (an inactive replication slot or a failing archive_command holds WAL back), or grow the volume. Then start the server.',
  },
  {
    id: 'config-error',
    title: 'a setting the server refuses (a crash loop until it is fixed)',
    pattern:
      /(invalid value for parameter "[^"]+"[^\n]*|unrecognized configuration parameter "[^"]+"|configuration file "[^"]+" contains errors[^\n]*|syntax error in file "[^"]+"[^\n]*)/,
    meaning: (match) => `the server refuses to start because of its configuration: ${match[1]}`,
    next: 'Fix or remove that line (postgresql.conf, postgresql.auto.conf or a conf.d file; ALTER SYSTEM writes postgresql.auto.conf), then start the server. It fails the same way on every restart until then: this is a crash loop.',
  },
  {
    id: 'port-in-use',
    title: 'another process holds the port or postmaster.pid',
    pattern: /(could not bind [^\n]*Address already in use|lock file "[^"]+" already exists)/,
    meaning: (match) => `another process holds the port or the lock file: ${match[1]}`,
    next: 'Find it (ss -ltnp | grep 5432; cat <data-dir>/postmaster.pid). A second postmaster on the same data directory must never be started; a stale postmaster.pid whose PID is not a postgres process can be removed.',
  },
  {
    id: 'killed',
    title: 'a server process was killed by SIGKILL, usually the out-of-memory killer',
    pattern: /(server process \(PID \d+\) was terminated by signal 9[^\n]*|terminated by signal 9: Killed)/,
    meaning: (match) => `a server process was killed (SIGKILL, usually the kernel's out-of-memory killer): ${match[1]}`,
    next: 'Check dmesg for "Out of memory: Killed process". Lower work_mem or max_connections, or add memory; set vm.overcommit_memory=2 as the PostgreSQL docs advise.',
  },
  {
    id: 'wal-missing',
    title: 'WAL needed for recovery is missing or unreadable',
    pattern:
      /(could not locate a valid checkpoint record|invalid checkpoint record|could not open file "pg_wal\/[^"]+"[^\n]*|requested WAL segment [^\n]* has already been removed)/,
    meaning: (match) => `the server cannot find or read the WAL it needs to recover: ${match[1]}`,
    next: 'Do not run pg_resetwal on production data. Restore from backup into a fresh cluster: follow the restore-from-backup runbook.',
  },
  {
    id: 'crash',
    title: 'a crash, followed by automatic crash recovery',
    pattern:
      /(server process \(PID \d+\) was terminated by signal \d+[^\n]*|terminating any other active server processes|database system was interrupted[^\n]*)/,
    meaning: (match) => `the server crashed and restarted to recover: ${match[1]}`,
    next: 'Crash recovery usually finishes on its own: wait for "database system is ready to accept connections" in the log. Find the statement in the lines before the crash and report it.',
  },
  {
    id: 'clean-shutdown',
    title: 'a clean shutdown: someone or something stopped the server',
    pattern: /database system is shut down/,
    meaning: () => 'the server was shut down cleanly (someone or something stopped it; it did not crash)',
    next: 'Find out who stopped it (deploy, maintenance, systemd: journalctl -u postgresql), then start it: sudo systemctl start postgresql@15-main.',
  },
];
// #endregion causes

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

async function diagnoseDown(url: string, args: ParsedArgs): Promise<Diagnosis> {
  const findings: Finding[] = [];
  const target = describeTarget(url);
  const where = `${target.host}:${target.port}/${target.database}`;
  const connected = await tryConnect(url);
  const recentSeconds = (args.recent as number) / 1000;
  const dataDir = args['data-dir'] as string | undefined;
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
    const log = findLog(dataDir, args['log-file'] as string | undefined);
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
  let args: ParsedArgs;
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
  const raw = (args['database-url'] as string | undefined) || process.env.DATABASE_URL?.trim();
  if (!raw) return usage('no target: set DATABASE_URL or pass --database-url. The runbook never guesses localhost.');
  let url: string;
  try {
    url = checkConnectionUrl(raw, args['database-url'] ? '--database-url' : 'DATABASE_URL');
  } catch (error) {
    return usage((error as Error).message);
  }
  let diagnosis: Diagnosis;
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
