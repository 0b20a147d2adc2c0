// Before any diagnosis: can this role see what the runbook reads? A role without
// pg_read_all_stats sees other roles' sessions with NULL state, query, backend_type and
// backend_xmin, so a runbook that filtered on them would report "healthy" about nothing.
import type { Diagnosis, Need, RunbookData, Step } from './definition.ts';
import type { Session } from './session.ts';

const checkSessionVisibility: Step = {
  id: 'check-visibility',
  title: 'Check this role can see other roles’ sessions',
  why: 'Without pg_read_all_stats (part of pg_monitor) the server hides the state, query, type and snapshot of every session but your own; a check that cannot see them must not say healthy.',
  sql: `select quote_ident(current_user) as role,
       pg_has_role(current_user, 'pg_read_all_stats', 'usage') as sees_all_sessions`,
  kind: 'read',
  lookFor: 'sees_all_sessions = false: ask a DBA for GRANT pg_monitor TO <role>; the report says which checks were not made.',
};

/** The tables the Storefront data layer and its migrations live in. */
export const STOREFRONT_TABLES = [
  'feature_flags',
  'kysely_migration',
  'categories',
  'products',
  'customers',
  'orders',
  'order_items',
] as const;

export const checkTables: Step = {
  id: 'check-tables',
  title: 'Check the Storefront tables exist and this role may read them',
  why: 'A missing table means this is not the Storefront (or a migration broke it); an unreadable one needs a SELECT grant before its rows can be counted.',
  sql: `select t.name, c.oid is not null as present,
       coalesce(has_table_privilege(c.oid, 'select'), false) as readable
from unnest($1::text[]) as t(name)
left join pg_class c on c.oid = to_regclass(t.name)`,
  params: ['the Storefront table names'],
  kind: 'read',
  lookFor: 'present = false for feature_flags and kysely_migration: not a Storefront database. readable = false: GRANT SELECT needed.',
};

export interface Unseen {
  need: Need;
  /** What could not be seen, as on-call reads it. */
  what: string;
  /** The statement a DBA runs to show it. */
  grant: string;
}

export interface Sight {
  role: string;
  unseen: Unseen[];
  /** feature_flags or kysely_migration exists in this database. */
  storefront: boolean;
  missingTables: string[];
}

export async function checkSight(session: Session, needs: readonly Need[]): Promise<Sight> {
  const sight: Sight = { role: session.target.role, unseen: [], storefront: false, missingTables: [] };
  if (needs.includes('other-sessions')) {
    const [row] = await session.read<{ role: string; sees_all_sessions: boolean }>(checkSessionVisibility);
    sight.role = row!.role;
    if (!row!.sees_all_sessions) {
      sight.unseen.push({
        need: 'other-sessions',
        what: `other roles' sessions (their state, query, type and snapshot are hidden from ${row!.role})`,
        grant: `GRANT pg_monitor TO ${row!.role};`,
      });
    }
  }
  if (needs.includes('storefront')) {
    const rows = await session.read<{ name: string; present: boolean; readable: boolean }>(checkTables, [STOREFRONT_TABLES]);
    sight.storefront = rows.some((row) => row.present && (row.name === 'feature_flags' || row.name === 'kysely_migration'));
    sight.missingTables = rows.filter((row) => !row.present).map((row) => row.name);
    const unreadable = rows.filter((row) => row.present && !row.readable).map((row) => row.name);
    if (sight.storefront && unreadable.length) {
      sight.unseen.push({
        need: 'storefront',
        what: `the rows of ${unreadable.join(', ')} (no SELECT privilege)`,
        grant: `GRANT SELECT ON ${unreadable.join(', ')} TO ${sight.role};`,
      });
    }
  }
  return sight;
}

/** Lines that say what could not be seen; they keep a verdict from ever being "healthy". */
function unseenFindings(unseen: Unseen[]): Diagnosis['findings'] {
  return unseen.map((gap) => ({ level: 'unseen', text: `cannot see ${gap.what}; ask a DBA to run: ${gap.grant}` }));
}

/** Marks a diagnosis made with gaps: problems it found still count (exit 1); otherwise it is "could not see" (exit 4). */
export function withUnseen<Data extends object>(diagnosis: Diagnosis<Data>, unseen: Unseen[]): Diagnosis<Data> {
  if (unseen.length === 0) return diagnosis;
  const found = diagnosis.findings.some((finding) => finding.level === 'problem');
  return {
    ...diagnosis,
    healthy: false,
    findings: [...unseenFindings(unseen), ...diagnosis.findings],
    summary: found
      ? diagnosis.summary
      : `could not see ${unseen.map((gap) => gap.what).join('; ')}: nothing it could see was wrong, which is not a healthy verdict`,
    next: found
      ? diagnosis.next
      : `Ask a DBA to run ${unseen.map((gap) => gap.grant).join(' ')} then re-run (or run as the role the runbook page recommends).`,
    data: { ...diagnosis.data },
  };
}

export type Verdict = 'healthy' | 'problem' | 'unseen';

export function verdictOf(diagnosis: Diagnosis): Verdict {
  const levels = new Set(diagnosis.findings.map((finding) => finding.level));
  if (levels.has('problem')) return 'problem';
  if (levels.has('unseen')) return 'unseen';
  return diagnosis.healthy ? 'healthy' : 'problem';
}

/** The kit's own checks that run before a runbook's diagnosis (for --dry-run and the page), by what it needs. */
export function visibilitySteps(definition: Pick<RunbookData, 'needs' | 'steps'>): Step[] {
  const needs = definition.needs ?? [];
  return [
    ...(needs.includes('other-sessions') ? [checkSessionVisibility] : []),
    ...(needs.includes('storefront') && !definition.steps.includes(checkTables) ? [checkTables] : []),
  ];
}
