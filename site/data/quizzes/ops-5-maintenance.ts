import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'ops5',
  questions: [
    {
      prompt: 'Why does an UPDATE leave a dead tuple behind?',
      choices: [
        { text: 'PostgreSQL writes a new row version and leaves the old one for vacuum', correct: true },
        { text: 'Because the old row is kept in the write-ahead log until the next checkpoint', why: 'The WAL records the change, but the dead version lives in the table itself until vacuum reclaims it.' },
        { text: 'Only when autovacuum is turned off for the table being updated', why: 'Every UPDATE leaves one; autovacuum only decides when they are cleaned up.' },
      ],
      explanation: 'Row versions let concurrent transactions see consistent data; vacuum reclaims the ones no transaction can see any more.',
    },
    {
      prompt: 'Why does the vacuum-bloat runbook run VACUUM outside a transaction?',
      choices: [
        { text: 'To avoid blocking reads and writes on the table while it runs', why: 'VACUUM does not block reads or writes anyway; the reason is a rule about transaction blocks.' },
        { text: 'PostgreSQL refuses to run VACUUM inside a transaction block', correct: true },
        { text: 'So that it can be undone with a rollback if it goes wrong', why: 'Outside a transaction there is nothing to roll back; and VACUUM cannot run inside one.' },
      ],
      explanation: 'VACUUM cannot run inside a transaction block, so the runbook sends it on its own, after checking that the table exists and quoting its name on the server.',
    },
    {
      prompt: 'What is checked before a release, in the routine tasks?',
      choices: [
        { text: 'That the rollback path is ready: rollback.ts --dry-run', correct: true },
        { text: 'That every table has been vacuumed in the last hour before the deploy', why: 'Vacuum runs in the background and on schedule; it is not a release gate.' },
        { text: 'That the cache hit rate is above its baseline on the staging database', why: 'The cache hit rate is a routine health check, not the pre-release step.' },
      ],
      explanation: 'Running the rollback runbook with --dry-run before a release shows exactly what a rollback would do, so the way back is known before it is needed.',
    },
  ],
};
