// What each severity means and what it promises. The incident-management and
// communication pages render these tables; Alertmanager routing (alertmanager-routing.ts)
// decides who is told. Policy, not measurement: reviewed in the quarterly baseline review.
import type { Severity } from './baselines.ts';

export interface SeverityPolicy {
  severity: Severity;
  name: string;
  definition: string;
  examples: string;
  /** Acknowledge the page / ticket within this time. */
  respondWithin: string;
  /** Post a status update at least this often until resolved. */
  updateEvery: string;
  statusPage: boolean;
  postMortem: 'required' | 'on request';
}

// #region severities
export const SEVERITY_POLICY: readonly SeverityPolicy[] = [
  {
    severity: 'SEV1',
    name: 'Outage',
    definition: 'Customers cannot browse or order: the service or its database is down, or most requests fail.',
    examples: 'PostgresDown; error rate far above baseline on every route; data loss or corruption.',
    respondWithin: '5 minutes, around the clock',
    updateEvery: '30 minutes',
    statusPage: true,
    postMortem: 'required',
  },
  {
    severity: 'SEV2',
    name: 'Major degradation',
    definition: 'A baseline is broken for many customers: pages are slow or a share of requests fail, but the shop works.',
    examples:
      'StorefrontHighErrorRate; StorefrontHighResponseTime; PostgresConnectionsNearLimit; PostgresReplicationSlotRetainingWal; PostgresArchiveFailing.',
    respondWithin: '15 minutes, around the clock',
    updateEvery: '1 hour',
    statusPage: true,
    postMortem: 'required',
  },
  {
    severity: 'SEV3',
    name: 'Minor degradation',
    definition: 'Something is wrong that will become SEV2 if left alone, or a few customers are affected.',
    examples:
      'StorefrontSlowQueries; StorefrontLowCacheHitRate; PostgresLongRunningTransaction; PostgresLockWaits; PostgresDeadlocksIncreasing; PostgresWalDirectoryLarge.',
    respondWithin: '1 working hour',
    updateEvery: 'each working day, in the ticket or thread',
    statusPage: false,
    postMortem: 'on request',
  },
  {
    severity: 'SEV4',
    name: 'Housekeeping',
    definition: 'No customer impact yet; a maintenance task or a trend to fix in normal work.',
    examples: 'PostgresDeadTuplesHigh; PostgresLowBufferCacheHitRatio.',
    respondWithin: '2 working days (ticket triaged)',
    updateEvery: 'in the ticket, when it changes',
    statusPage: false,
    postMortem: 'on request',
  },
];
// #endregion severities
