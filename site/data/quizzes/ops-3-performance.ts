import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'ops3',
  questions: [
    {
      prompt: 'A statement shows wait_event_type = \'Lock\' in pg_stat_activity. Which runbook fits?',
      choices: [
        { text: 'slow-queries, to get the plan of the statement with --explain-pid', why: 'Its plan is not the problem: it is waiting for another session.' },
        { text: 'lock-contention, to find the session that blocks it', correct: true },
        { text: 'vacuum-bloat, since dead tuples are the usual reason for lock waits', why: 'Dead tuples slow scans; they do not make a session wait on a lock.' },
      ],
      explanation: 'A session waiting on a lock is blocked by another one; lock-contention finds the root blocker.',
    },
    {
      prompt: 'pg_stat_statements shows a cheap statement with a huge number of calls. What is the likely cause?',
      choices: [
        { text: 'A missing index on the table the statement reads', why: 'A missing index makes each call expensive; here each call is cheap.' },
        { text: 'An N+1 loop in the code that calls it once per row', correct: true },
        { text: 'A lock held by an idle transaction that makes every call retry', why: 'PostgreSQL does not retry statements; waiting shows up as time, not as calls.' },
      ],
      explanation: 'High calls for a cheap statement is the N+1 signature: find the loop in the code (training module 4) and load the rows in one query or one batch.',
    },
    {
      prompt: 'Why does slow-queries --explain-pid run EXPLAIN without ANALYZE?',
      choices: [
        { text: 'So that the slow statement is not executed a second time on production', correct: true },
        { text: 'Because ANALYZE needs superuser rights that an on-call role never has', why: 'EXPLAIN ANALYZE needs only the rights to run the statement; the reason is not to run it again.' },
        { text: 'Because EXPLAIN ANALYZE is not available on PostgreSQL 15', why: 'It is available on every supported version.' },
      ],
      explanation: 'EXPLAIN ANALYZE runs the statement. On a statement that is already hurting production, or that writes, running it again is the last thing you want.',
    },
  ],
};
