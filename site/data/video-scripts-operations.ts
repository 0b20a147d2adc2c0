// Scripts for the five operations modules' videos. The page (training/video-scripts-operations.mdx)
// renders them through VideoScript.astro, which computes each estimate from the narration's word
// count, so no duration is typed by hand. Commands are the ones the module pages and runbooks use.
interface Scene {
  title: string;
  /** What the viewer sees, in words (a page, a panel, a terminal). */
  screen: string;
  /** Commands typed in the terminal during the scene, one per line, in order. */
  commands?: string[];
  narration: string;
  /** Seconds for the screen action on top of the narration (typing, output scrolling). */
  allowance: number;
}

export interface VideoScript {
  module: string;
  title: string;
  scenes: Scene[];
}

export const OPERATIONS_VIDEO_SCRIPTS: VideoScript[] = [
  {
    module: 'ops-1-monitoring',
    title: 'Ops 1. Monitoring and the dashboard',
    scenes: [
      {
        title: 'One definition of healthy',
        screen: 'monitoring/baselines.ts in the editor, then the Grafana dashboard with the four baseline panels.',
        narration:
          'Four numbers decide whether the Storefront is healthy: p95 response time, p95 query time, cache hit rate and error rate. They are written once, in monitoring/baselines.ts. The alert rules, this dashboard and the runbooks all come from that file, so they can never disagree.',
        allowance: 15,
      },
      {
        title: 'Reading a panel',
        screen: 'The p95 query time panel with its threshold line, then the connections panel next to it.',
        narration:
          'A panel shows a percentile, not an average: a few runaway statements move it long before they move the mean. Compare it with the threshold line first. Then read panels together: slow queries with more connections means sessions are waiting; slow queries alone means a plan or the data changed.',
        allowance: 15,
      },
      {
        title: 'The daily health check',
        screen: 'A terminal with the sandbox URL in DATABASE_URL.',
        commands: ['npx zx runbooks/health-check.ts', 'echo $?'],
        narration:
          'The same checks run from a terminal. The health check prints a verdict and exits zero when healthy, one when it found a problem, two on bad usage and three when it cannot reach the database. Automation reads the exit code; people read the verdict.',
        allowance: 20,
      },
      {
        title: 'Drill and recap',
        screen: 'Two terminals: the drill injecting a statement that never ends, then the health check naming it.',
        commands: ['npm run drill -- long-query', 'npx zx runbooks/health-check.ts'],
        narration:
          'Now break something on purpose. The drill starts a statement that never ends, and the health check names it with its PID. Recap: thresholds live in one file, panels are read together, and every check has a command you can run yourself.',
        allowance: 25,
      },
    ],
  },
  {
    module: 'ops-2-alert-response',
    title: 'Ops 2. Alert response with the runbooks',
    scenes: [
      {
        title: 'From the page to the runbook',
        screen: 'A phone showing the alert notification, then the handbook home page and the runbook box at the top of the lock-contention page.',
        narration:
          'An alert pages you. Its runbook link opens the page for it, and the box at the top has everything for the first minute: the severity, the diagnosis command with its own copy button, and where to escalate. From the home page it is two taps.',
        allowance: 15,
      },
      {
        title: 'Diagnose read-only',
        screen: 'A terminal; the drill holds a lock in a second terminal.',
        commands: ['npm run drill -- lock', 'npx zx runbooks/lock-contention.ts'],
        narration:
          'Run the diagnosis. It only reads, inside a read-only transaction, and prints the root blocker: the session everyone else waits for, with its application and how long it has held the lock.',
        allowance: 25,
      },
      {
        title: 'One confirmed, audited write',
        screen: 'The same terminal: the dry run, then the banner and the confirmation question.',
        commands: ['npx zx runbooks/lock-contention.ts --dry-run', 'npx zx runbooks/lock-contention.ts --execute'],
        narration:
          'Look before you write: the dry run prints the exact SQL and connects to nothing. Then run it with execute. A banner names the host, database and role, and the runbook asks before it touches anything. It cancels first and terminates only if that is not enough.',
        allowance: 25,
      },
      {
        title: 'Prove it and recap',
        screen: 'The diagnosis again, exiting 0, then the last line of the audit log.',
        commands: ['npx zx runbooks/lock-contention.ts', 'tail -n 1 ~/.handbook/runbook-audit.jsonl'],
        narration:
          'Run the diagnosis again: exit zero means the lock is gone. The audit log has one line for your write, with who, when and the SQL, ready for the ticket. Recap: read first, write once with confirmation, and prove the fix with the same command.',
        allowance: 20,
      },
    ],
  },
  {
    module: 'ops-3-performance',
    title: 'Ops 3. Performance analysis',
    scenes: [
      {
        title: 'Three kinds of slow',
        screen: 'The "Where time goes" table on the module page.',
        narration:
          'A query is slow in one of three ways. It does too much work, it waits for another session, or it is cheap but called far too often. Each leaves different evidence, and the evidence decides which runbook you open.',
        allowance: 10,
      },
      {
        title: 'Find the statement that works too hard',
        screen: 'A terminal: the drill starts a long statement, then the slow-queries runbook lists it.',
        commands: ['npm run drill -- long-query', 'npx zx runbooks/slow-queries.ts --longer-than 5s'],
        narration:
          'The slow-queries runbook lists statements running longer than the threshold right now, and the top statements by total time from pg_stat_statements. Note the PID of the long one.',
        allowance: 25,
      },
      {
        title: 'Its plan, without running it again',
        screen: 'The same terminal, with the PID from the previous scene.',
        commands: ['npx zx runbooks/slow-queries.ts --explain-pid <pid>'],
        narration:
          'With explain-pid the runbook fetches the plan of the statement that backend is running. It uses EXPLAIN without ANALYZE, so nothing runs a second time on a server that is already struggling. Replace the pid placeholder with the number from the list.',
        allowance: 20,
      },
      {
        title: 'Waiting is not slowness',
        screen: 'A second drill holding locks in an idle transaction, then the lock-contention runbook.',
        commands: ['npm run drill -- idle-in-transaction', 'npx zx runbooks/lock-contention.ts'],
        narration:
          'A statement stuck behind a lock looks slow, but its plan is fine: it is waiting. The lock-contention runbook shows who holds the lock. Recap: find the kind of slow first, then fix the plan, the blocker or the loop.',
        allowance: 25,
      },
    ],
  },
  {
    module: 'ops-4-incidents',
    title: 'Ops 4. Incident management',
    scenes: [
      {
        title: 'Declare early',
        screen: 'The severity levels table on the incident management page.',
        narration:
          'When customers are affected, declare an incident first and fix second. Pick the severity from the table: it decides who is paged, how often you post updates and whether the status page changes. Name an incident commander, who decides, and a communications lead, who writes.',
        allowance: 10,
      },
      {
        title: 'The first update',
        screen: 'The communication templates page, the SEV2 investigating template filled in.',
        narration:
          'Send the first update before the first fix. Take the template for your severity, fill in what customers notice and when the next update comes, and post it. Keep a timeline as you go: times, decisions and their reasons.',
        allowance: 15,
      },
      {
        title: 'Fix forward or roll back',
        screen: 'A terminal: the drill breaks a release with a migration, then the rollback runbook previews the way back.',
        commands: ['npm run drill -- migration', 'npx zx runbooks/rollback.ts --dry-run'],
        narration:
          'A release went out and errors continue. The commander weighs the time to a fix against the known-good path. The rollback runbook shows exactly what it would do: switch the data layer flag back to legacy and roll back the newest migration.',
        allowance: 25,
      },
      {
        title: 'Roll back, verify, close',
        screen: 'The rollback running with confirmation, then the health check exiting 0.',
        commands: ['npx zx runbooks/rollback.ts --execute', 'npx zx runbooks/health-check.ts'],
        narration:
          'Run it with execute and confirm. Then verify with the health check before anyone says resolved. Close the incident, send the resolution message, and name the owner of the post-mortem.',
        allowance: 25,
      },
    ],
  },
  {
    module: 'ops-5-maintenance',
    title: 'Ops 5. Maintenance tasks',
    scenes: [
      {
        title: 'Why tables need care',
        screen: 'The "Why maintenance is needed" section of the module page.',
        narration:
          'PostgreSQL never overwrites a row in place. An update writes a new version and leaves the old one dead. Autovacuum cleans up in the background, and when it falls behind, tables grow and plans go stale.',
        allowance: 10,
      },
      {
        title: 'Find the table',
        screen: 'A terminal: the drill piles up dead tuples, then the vacuum-bloat runbook ranks the tables.',
        commands: ['npm run drill -- dead-tuples', 'npx zx runbooks/vacuum-bloat.ts'],
        narration:
          'The drill turns autovacuum off for one table and updates every row twice. The vacuum-bloat runbook lists tables by dead tuples, with their last vacuum and an estimate of the bloat. The drilled table is at the top.',
        allowance: 25,
      },
      {
        title: 'Vacuum one table safely',
        screen: 'The runbook with --execute on the table it named, the confirmation, then the runbook again.',
        commands: ['npx zx runbooks/vacuum-bloat.ts --table products --execute', 'npx zx runbooks/vacuum-bloat.ts'],
        narration:
          'Run the write step on that table. The runbook checks that the table exists and quotes its name on the server, then runs VACUUM with ANALYZE outside a transaction, because VACUUM cannot run inside one. Run the diagnosis again to see the dead tuples gone.',
        allowance: 30,
      },
      {
        title: 'The routine',
        screen: 'The maintenance schedule page.',
        commands: ['npx zx runbooks/rollback.ts --dry-run'],
        narration:
          'Maintenance is a routine, not a rescue. The health check runs daily, bloat and the cache hit rate weekly, and before every release a dry run of the rollback shows that the way back is ready.',
        allowance: 15,
      },
    ],
  },
];
