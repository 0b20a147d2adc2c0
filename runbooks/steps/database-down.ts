// Database down: the one runbook that must work when PostgreSQL does not answer.
// It does not go through the kit's session (which needs a connection); it tries to
// connect, says what the failure means, and, run on the database host with
// --data-dir, reads postmaster.pid, the server log and the free disk space to name
// the cause: a clean shutdown, a configuration error in a crash loop, a full disk,
// a killed server, a missing WAL file.
// The runbook's data (its flags and the causes it knows, which its page lists); its logic,
// which needs pg and the file system, is runbooks/logic/database-down.ts.
import type { FlagSpec } from '../kit/contract.ts';

export const SLUG = 'database-down';
export const TITLE = 'Database down';
export const PURPOSE =
  'Tries to connect and says what the failure means; on the database host, with --data-dir, reads postmaster.pid, the server log and the free disk space to name the cause (clean shutdown, configuration error in a crash loop, full disk, killed server, missing WAL). It never changes anything.';

export const FLAGS = [
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
] as const satisfies readonly FlagSpec[];

/** One known cause: the log line that shows it, what it means, and what to do. */
export interface Cause {
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
