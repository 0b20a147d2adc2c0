import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'ops2',
  questions: [
    {
      prompt: 'You ran a runbook without flags. What can it have changed in the database?',
      choices: [
        { text: 'Only the write steps that its diagnosis found were safe to run', why: 'Nothing is written without --execute and a confirmation, however safe a step looks.' },
        { text: 'Nothing: without --execute it diagnoses inside a read-only transaction', correct: true },
        { text: 'Planner statistics, because every runbook starts with an ANALYZE', why: 'Diagnosis runs inside a read-only transaction and issues no ANALYZE.' },
      ],
      explanation: 'A runbook only reads unless you pass --execute and confirm (or --yes without a terminal); --dry-run prints the SQL and connects to nothing.',
    },
    {
      prompt: 'After terminating a blocking session with --execute, how do you show the fix worked?',
      choices: [
        { text: 'Run the same runbook again and see it exit 0, healthy', correct: true },
        { text: 'Wait for the alert to stop firing; no other check is needed', why: 'The alert lags by its evaluation window; the runbook checks the same condition now.' },
        { text: 'Look in the audit log for the line that records your write', why: 'The audit log proves what you did, not that the problem is gone.' },
      ],
      explanation: 'Each Mitigation ends by running the diagnosis again: exit 0 means the condition the alert watches is healthy. The audit log then records what was done for the ticket.',
    },
    {
      prompt: 'Where does a write made by a runbook get recorded?',
      choices: [
        { text: 'Nowhere, unless you pass --json to the runbook', why: '--json changes the report format; the audit entry is written for every write.' },
        { text: 'In PostgreSQL\'s server log, which the runbook turns on before writing', why: 'The runbook changes no server settings; it appends to its own audit log.' },
        { text: 'In the runbook audit log, one JSON line per write, with the SQL', correct: true },
      ],
      explanation: 'Every write is appended to ~/.handbook/runbook-audit.jsonl (or --audit-log, or $RUNBOOK_AUDIT_LOG) with the operator, the time, the target without its password, the SQL and the outcome.',
    },
  ],
};
