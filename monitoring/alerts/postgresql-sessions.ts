// PostgreSQL alerts on the server and its sessions: whether it answers, how many connections
// are open, and transactions or lock waits that hold everyone else up.
import { DATABASE_LIMITS as L } from '../baselines.ts';
import { DB_INSTANCE, REAL_DB, db, timeScale, type AlertRule } from './shared.ts';

/** The server and session alerts at `scale` (see alertRules in ../alert-rules.ts). */
export function postgresSessionAlerts(scale: number): AlertRule[] {
  const { m, seconds } = timeScale(scale);
  const longTx = seconds(L.longTransactionSeconds);
  const lockWait = seconds(L.lockWaitSeconds);
  return [
    {
      name: 'PostgresDown',
      group: 'postgresql',
      severity: 'SEV1',
      expr: 'pg_up == 0',
      panel: {
        title: 'PostgreSQL up (pg_up)',
        expr: 'min by (instance) (pg_up)',
        legend: '{{instance}}',
        unit: 'short',
        threshold: 1,
        healthyWhen: 'above',
        meaning: '1 while postgres_exporter can connect to PostgreSQL, 0 when it cannot.',
      },
      for: m(1),
      summary: 'PostgreSQL on {{ $labels.instance }} is not answering',
      description:
        'postgres_exporter on {{ $labels.instance }} cannot connect to PostgreSQL (pg_up is 0). Every Storefront request that needs the database fails. ' +
        'Follow the database-down runbook: run it on the database host with --data-dir to read the cause from the server log; /healthz on the service says whether it can reach the database too.',
      runbook: '/runbooks/database-down/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires when pg_up stays 0',
          evalMinutes: 5,
          fires: { ...DB_INSTANCE, job: 'postgres' },
          series: [{ series: `pg_up{${db}}`, values: '0x10' }],
        },
        { name: 'stays silent when pg_up is 1', evalMinutes: 5, series: [{ series: `pg_up{${db}}`, values: '1x10' }] },
      ],
    },
    {
      name: 'PostgresConnectionsNearLimit',
      group: 'postgresql',
      severity: 'SEV2',
      expr:
        'sum by (instance) (pg_stat_activity_count) > ' +
        `${L.connectionsUsedRatio} * (max by (instance) (pg_settings_max_connections) - max by (instance) (pg_settings_superuser_reserved_connections))`,
      panel: {
        title: `Connections in use (alert above ${L.connectionsUsedRatio * 100} % of usable)`,
        expr: 'sum by (instance) (pg_stat_activity_count) / (max by (instance) (pg_settings_max_connections) - max by (instance) (pg_settings_superuser_reserved_connections))',
        legend: '{{instance}}',
        unit: 'percentunit',
        threshold: L.connectionsUsedRatio,
        healthyWhen: 'below',
        meaning: 'Open connections (every state) as a share of max_connections minus the slots reserved for superusers.',
      },
      for: m(5),
      summary: 'PostgreSQL on {{ $labels.instance }} is close to its connection limit',
      description:
        `More than ${L.connectionsUsedRatio * 100} % of the connections an application may open (max_connections minus superuser_reserved_connections) are in use on {{ $labels.instance }}. ` +
        'New connections will soon be refused. The connection-saturation runbook shows who holds them.',
      runbook: '/runbooks/connection-saturation/',
      sqlCannotSee: 'whether the count has stayed above the limit for 5 minutes; SQL sees the count now',
      cases: [
        {
          name: 'fires at 90 of 97 usable connections (max_connections 100, 3 reserved)',
          evalMinutes: 10,
          fires: DB_INSTANCE,
          series: [
            { series: `pg_stat_activity_count{${db},datname="storefront",state="active"}`, values: '60x15' },
            { series: `pg_stat_activity_count{${db},datname="storefront",state="idle"}`, values: '30x15' },
            { series: `pg_settings_max_connections{${db}}`, values: '100x15' },
            { series: `pg_settings_superuser_reserved_connections{${db}}`, values: '3x15' },
          ],
        },
        {
          name: 'stays silent at 70 of 97 usable connections',
          evalMinutes: 10,
          series: [
            { series: `pg_stat_activity_count{${db},datname="storefront",state="active"}`, values: '40x15' },
            { series: `pg_stat_activity_count{${db},datname="storefront",state="idle"}`, values: '30x15' },
            { series: `pg_settings_max_connections{${db}}`, values: '100x15' },
            { series: `pg_settings_superuser_reserved_connections{${db}}`, values: '3x15' },
          ],
        },
      ],
    },
    {
      name: 'PostgresLongRunningTransaction',
      group: 'postgresql',
      severity: 'SEV3',
      // By database, so on-call knows where to point the runbook; template databases never page.
      expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${REAL_DB}}) > ${longTx}`,
      panel: {
        title: `Oldest open transaction (alert above ${L.longTransactionSeconds} s)`,
        expr: `max by (instance, datname) (pg_stat_activity_max_tx_duration{${REAL_DB}})`,
        legend: '{{datname}}',
        unit: 's',
        threshold: L.longTransactionSeconds,
        healthyWhen: 'below',
        meaning: 'Age of the oldest transaction still open, over every session and state.',
      },
      for: m(1),
      summary: `A transaction in {{ $labels.datname }} on {{ $labels.instance }} has been open for more than ${longTx} s`,
      description:
        `The oldest open transaction in {{ $labels.datname }} is older than ${longTx} s. It holds its locks and stops VACUUM from removing dead rows. ` +
        'The lock-contention runbook, pointed at that database, names its PID, owner and last statement, and who it blocks, if anyone.',
      runbook: '/runbooks/lock-contention/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires on one old transaction even when every other state is idle (max, not avg), naming its database',
          evalMinutes: 10,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
          series: [
            { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle in transaction"}`, values: '0+60x15' },
            { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="active"}`, values: '0x15' },
            { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle"}`, values: '0x15' },
            { series: `pg_stat_activity_max_tx_duration{${db},datname="postgres",state="active"}`, values: '0x15' },
          ],
        },
        {
          name: 'stays silent when transactions finish within a minute',
          evalMinutes: 10,
          series: [
            { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="active"}`, values: '45x15' },
            { series: `pg_stat_activity_max_tx_duration{${db},datname="storefront",state="idle in transaction"}`, values: '2x15' },
          ],
        },
        {
          name: 'stays silent on a template database',
          evalMinutes: 10,
          series: [
            { series: `pg_stat_activity_max_tx_duration{${db},datname="template1",state="idle in transaction"}`, values: '0+60x15' },
          ],
        },
      ],
    },
    {
      name: 'PostgresLockWaits',
      group: 'postgresql',
      severity: 'SEV3',
      // pg_lock_waits_* come from the handbook's queries file (monitoring/postgres-exporter/queries.yml):
      // postgres_exporter's own pg_locks_count counts held locks of every mode, so a session holding
      // many harmless AccessShare locks looked like a pile-up while a real queue could stay under it.
      expr: `max by (instance, datname) (pg_lock_waits_oldest_seconds{${REAL_DB}}) > ${lockWait}`,
      panel: {
        title: `Longest lock wait per database (alert above ${L.lockWaitSeconds} s)`,
        expr: `max by (instance, datname) (pg_lock_waits_oldest_seconds{${REAL_DB}})`,
        legend: '{{datname}}',
        unit: 's',
        threshold: L.lockWaitSeconds,
        healthyWhen: 'below',
        meaning: 'How long the longest-waiting session in each database has been queued for a lock (pg_locks.waitstart).',
      },
      for: m(1),
      summary: `A session in {{ $labels.datname }} on {{ $labels.instance }} has waited more than ${lockWait} s for a lock`,
      description:
        `At least one session in {{ $labels.datname }} has been queued behind a lock for more than ${lockWait} s; every request that needs the same row or table queues behind it. ` +
        'The lock-contention runbook, pointed at that database, names the session holding the lock and draws who waits on it.',
      runbook: '/runbooks/lock-contention/',
      sqlCannotSee: '',
      cases: [
        {
          name: 'fires when a session has waited 45 s for a lock, naming its database',
          evalMinutes: 5,
          fires: { ...DB_INSTANCE, datname: 'storefront' },
          series: [
            { series: `pg_lock_waits_oldest_seconds{${db},datname="storefront"}`, values: '0+15x10' },
            { series: `pg_lock_waits_sessions{${db},datname="storefront"}`, values: '3x10' },
          ],
        },
        {
          name: 'stays silent on short waits, and on held locks nobody waits for',
          evalMinutes: 5,
          series: [
            { series: `pg_lock_waits_oldest_seconds{${db},datname="storefront"}`, values: '2x10' },
            { series: `pg_locks_count{${db},datname="storefront",mode="accesssharelock"}`, values: '502x10' },
          ],
        },
      ],
    },
  ];
}
