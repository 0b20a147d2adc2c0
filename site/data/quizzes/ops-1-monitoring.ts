import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'ops1',
  questions: [
    {
      prompt: 'You want to raise the p95 query time threshold. Where do you change it?',
      choices: [
        { text: 'In the Grafana dashboard JSON, then in the Prometheus rule file', why: 'Both files are generated; a hand edit is overwritten and a drift test fails.' },
        { text: 'In monitoring/baselines.ts, then npm run monitoring:generate', correct: true },
        { text: 'In each runbook that compares query times with a threshold', why: 'The runbooks read their thresholds from the same baselines file; there is nothing to change in them.' },
      ],
      explanation: 'The baselines are defined once; the alert rules, the dashboard and the runbooks all follow from them, and a test fails when a generated file drifts.',
    },
    {
      prompt: 'The health check exits with code 3. What does that tell you?',
      choices: [
        { text: 'It found three problems, listed above the verdict', why: 'The exit code is not a count: 1 means a problem was found, whatever the number.' },
        { text: 'The command line was wrong, for example a missing flag value', why: 'Bad usage is exit code 2.' },
        { text: 'It could not reach the database, or the database rejected its login', correct: true },
      ],
      explanation: 'Every runbook exits 0 when healthy, 1 when it found a problem, 2 on bad usage and 3 when it cannot reach the database.',
    },
    {
      prompt: 'p95 query time and the number of connections rise together. What does that point at first?',
      choices: [
        { text: 'Queries waiting: locks or a saturated pool', correct: true },
        { text: 'A plan change on one statement after new statistics were collected', why: 'A plan change makes queries slower on their own; connections piling up at the same time points at waiting.' },
        { text: 'Nothing in particular, because the two panels are unrelated to each other', why: 'Reading panels together is the point: connections piling up while queries slow down means sessions are waiting.' },
      ],
      explanation: 'Query time up with connections up points at waiting (locks, a saturated pool); query time up alone points at a plan or data change.',
    },
  ],
};
