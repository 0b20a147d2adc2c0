// Vacuum and bloat, the logic: rank tables by dead tuples, name the snapshots that hold them
// back and, with --execute --table, VACUUM (ANALYZE) that table. The steps and flags are
// runbooks/steps/vacuum-bloat.ts.
import { Refusal, defineRunbook, type Diagnosis, type Finding } from '../kit/definition.ts';
import { UsageError } from '../kit/args.ts';
import type { Session } from '../kit/session.ts';
import { formatSeconds, truncate } from '../kit/output.ts';
import {
  canVacuum,
  deadAfterVacuum,
  deadTupleStats,
  resolveTable,
  snapshotHolders,
  vacuumBloat as data,
  vacuumTable,
} from '../steps/vacuum-bloat.ts';
import { DATABASE_LIMITS } from '../../monitoring/baselines.ts';

/** The same limits PostgresDeadTuplesHigh fires on (monitoring/baselines.ts). */
const DEAD_RATIO_LIMIT = DATABASE_LIMITS.deadTupleRatio;

const NEEDS_TABLE = '--execute needs --table <name>: VACUUM runs on one named table';

interface TableRow {
  table_name: string;
  live: number;
  dead: number;
  dead_ratio: number | null;
  table_bytes: number;
  estimated_bloat_bytes: number | null;
  last_vacuum: string | null;
  last_autovacuum: string | null;
  autovacuum_off: boolean;
}

interface HolderRow {
  holder: string;
  pid: number | null;
  role: string | null;
  application_name: string | null;
  state: string | null;
  xact_seconds: number | null;
  xmin_age: number | null;
  query: string | null;
}

const mb = (bytes: number | null) => `${((bytes ?? 0) / 1_048_576).toFixed(1)} MB`;

function describeHolder(holder: HolderRow): string {
  const who = [holder.role, holder.application_name, holder.state].filter(Boolean).join(', ');
  return `${holder.holder}${who ? ` (${who})` : ''}${holder.xact_seconds !== null ? `, open ${formatSeconds(holder.xact_seconds)}` : ''}, snapshot ${holder.xmin_age ?? '?'} transactions old${holder.query ? `: ${truncate(holder.query, 80)}` : ''}`;
}

/** Snapshots older than the limit: slots and prepared transactions always count, they never end by themselves. */
async function oldSnapshots(session: Session, olderThanMs: number): Promise<HolderRow[]> {
  const rows = await session.read<HolderRow>(snapshotHolders);
  return rows.filter((row) => row.pid === null || row.holder.startsWith('replication') || (row.xact_seconds ?? 0) * 1000 >= olderThanMs);
}

/** The diagnosis's data (--json `data`). */
interface BloatData {
  tables: TableRow[];
  needsVacuum: string[];
  snapshotHolders: HolderRow[];
}

async function diagnoseBloat(session: Session, minDead: number, snapshotOlderThanMs = 60_000): Promise<Diagnosis<BloatData>> {
  const rows = await session.read<TableRow>(deadTupleStats);
  const bad = rows.filter((row) => row.dead >= minDead && (row.dead_ratio ?? 0) >= DEAD_RATIO_LIMIT);
  const holders = await oldSnapshots(session, snapshotOlderThanMs);
  const findings: Finding[] = rows.slice(0, 10).map((row) => ({
    level: bad.includes(row) ? 'problem' : 'info',
    text: `${row.table_name}: ${row.dead} dead / ${row.live} live (${((row.dead_ratio ?? 0) * 100).toFixed(0)}%), ~${mb(row.estimated_bloat_bytes)} of ${mb(row.table_bytes)} bloat, last vacuum ${row.last_vacuum ?? 'never'}, last autovacuum ${row.last_autovacuum ?? 'never'}${row.autovacuum_off ? ', AUTOVACUUM DISABLED' : ''}`,
  }));
  if (bad.length === 0)
    findings.push({ level: 'ok', text: `no table has ${minDead}+ dead tuples making up ${DEAD_RATIO_LIMIT * 100}% or more of its rows` });
  for (const holder of holders) {
    findings.push({
      level: bad.length ? 'problem' : 'info',
      text: `${describeHolder(holder)} — VACUUM cannot remove row versions that died after its snapshot began`,
    });
  }
  if (holders.length === 0)
    findings.push({ level: 'ok', text: `no snapshot older than ${snapshotOlderThanMs / 1000}s holds dead tuples back` });
  const worst = bad[0];
  const holder = holders[0];
  return {
    healthy: !worst,
    findings,
    summary: worst
      ? `${bad.length} table(s) need VACUUM; worst is ${worst.table_name} with ${worst.dead} dead tuples${holder ? `; ${holder.holder} holds cleanup back` : ''}`
      : 'no table needs a manual VACUUM',
    next: worst
      ? holder
        ? `First end ${holder.holder} (ask its owner to commit or roll back, or use the connection-saturation / lock-contention runbook): until it ends, VACUUM cannot remove these tuples. Then re-run with --execute --table ${worst.table_name}.`
        : `Re-run with --execute --table ${worst.table_name}${worst.autovacuum_off ? `, then re-enable autovacuum: ALTER TABLE ${worst.table_name} RESET (autovacuum_enabled)` : ''}. Only the table owner, the database owner or a superuser may vacuum it (on PostgreSQL 17+ also pg_maintain).`
      : 'Nothing to do.',
    data: { tables: rows, needsVacuum: bad.map((row) => row.table_name), snapshotHolders: holders },
  };
}

export const vacuumBloat = defineRunbook(data, {
  async validate(session, args) {
    if (args.execute && !args.table) throw new UsageError(NEEDS_TABLE);
    if (!args.table) return;
    const [schema, name] = args.table.includes('.') ? args.table.split('.') : [null, args.table];
    const [found] = await session.read<{ qualified: string }>(resolveTable, [schema, name]);
    if (!found) throw new UsageError(`table "${args.table}" does not exist in database ${session.target.database}`);
    // From here on --table is the name as the server quoted it, the only form that goes into SQL.
    args.table = found.qualified;
  },
  diagnose: (session, args) => diagnoseBloat(session, args['min-dead'], args['snapshot-older-than']),
  async remediate(session, args) {
    const table = args.table;
    if (table === undefined) throw new UsageError(NEEDS_TABLE);
    const minDead = args['min-dead'];
    const [who] = await session.read<{ table_owner: string; database_owner: string; allowed: boolean }>(canVacuum, [table]);
    if (!who?.allowed) {
      const reason = `role "${session.target.role}" may not vacuum ${table}: only its owner (${who?.table_owner}), the database owner (${who?.database_owner}) or a superuser may${session.serverVersion >= 170000 ? `, or a role granted pg_maintain or MAINTAIN on the table (GRANT MAINTAIN ON ${table} TO ${session.target.role};)` : ' (PostgreSQL 17+ adds pg_maintain)'}; pg_monitor and pg_signal_backend do not allow it. Nothing was vacuumed`;
      session.audit(vacuumTable, vacuumTable.sql.replace('{table}', table), `refused before running: ${reason}`, false);
      throw new Refusal(reason);
    }
    const done = await session.writeOutsideTransaction(vacuumTable, table, async () => {
      // Read on the same connection, right after VACUUM reported its counts.
      const { rows } = await session.client.query<{ live: number; dead: number }>(deadAfterVacuum.sql, [table]);
      const after = rows[0];
      if (!after || after.dead < minDead || after.dead / Math.max(1, after.live + after.dead) < DEAD_RATIO_LIMIT) return undefined;
      const holder = (await oldSnapshots(session, 0))[0];
      return `VACUUM finished but ${after.dead} dead tuples remain in ${table}${holder ? `; ${describeHolder(holder)} holds them back` : ''}`;
    });
    return {
      actions: [
        done
          ? `✓ vacuum (analyze) ${table}: dead tuples removed`
          : `✗ vacuum (analyze) ${table} did not clean the table (see "not done" below)`,
      ],
    };
  },
});
