// Expand/contract: change a column that running code uses (a rename, a type change) without
// a moment where the deployed code and the schema disagree. The new column is added beside
// the old one and kept in step by a trigger, filled in batches, made NOT NULL without a long
// lock; the code moves over in a deploy; only then is the old column dropped.
//
// Each step is an ordinary migration. They ship in different releases:
//   release 1: expand, backfill, checkNotNull, setNotNull   (migrate, then deploy code that still uses `from`)
//   release 2: no migration                                  (deploy code that reads and writes `to`)
//   release 3: contract                                      (deploy first, then migrate: nothing uses `from` any more)
import { sql, type ExpressionBuilder } from 'kysely';
import type { HandbookMigration } from '../app/migrate.ts';

export interface ColumnChange {
  table: string;
  /** The column the running code uses today. */
  from: string;
  /** The column it will use; for a rename, the new name; for a type change, a column of the new type. */
  to: string;
  /** The SQL type of `to`: the same as `from` for a rename, the new type for a type change. */
  type: 'text' | 'integer' | 'bigint' | 'numeric' | 'timestamptz';
  /** Rows the backfill updates per transaction. */
  batchSize?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function names(change: ColumnChange) {
  for (const name of [change.table, change.from, change.to]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain lower-case identifier: ${JSON.stringify(name)}`);
  }
  const { table, from, to } = change;
  return {
    table: sql.id(table),
    from: sql.id(from),
    to: sql.id(to),
    trigger: sql.id(`${table}_${to}_sync`),
    check: sql.id(`${table}_${to}_not_null`),
    // Inside the function body, which is a string to PostgreSQL, the names are written as text.
    body: sql.raw(`
      begin
        if tg_op = 'INSERT' then
          new.${to} := coalesce(new.${to}, new.${from});
          new.${from} := coalesce(new.${from}, new.${to});
        elsif new.${from} is distinct from old.${from} then
          new.${to} := new.${from};
        elsif new.${to} is distinct from old.${to} then
          new.${from} := new.${to};
        end if;
        return new;
      end`),
  };
}

export function expandContract(
  change: ColumnChange,
): Record<'expand' | 'backfill' | 'checkNotNull' | 'setNotNull' | 'contract', HandbookMigration> {
  const n = names(change);
  const batchSize = change.batchSize ?? 1_000;
  return {
    // #region expand
    expand: {
      async up(db) {
        // Nullable and without a default: adding it only touches the catalog.
        await sql`alter table ${n.table} add column ${n.to} ${sql.raw(change.type)}`.execute(db);
        await sql`create function ${n.trigger}() returns trigger language plpgsql as $$${n.body}$$`.execute(db);
        // Old code writes `from`, new code writes `to`: each write fills the other column too.
        await sql`create trigger ${n.trigger} before insert or update on ${n.table} for each row execute function ${n.trigger}()`.execute(
          db,
        );
      },
      async down(db) {
        await sql`drop trigger ${n.trigger} on ${n.table}`.execute(db);
        await sql`drop function ${n.trigger}()`.execute(db);
        await sql`alter table ${n.table} drop column ${n.to}`.execute(db);
      },
    },
    // #endregion expand
    // #region backfill
    backfill: {
      // Each batch commits on its own: row locks are held for one batch, never for the table.
      transaction: false,
      async up(db) {
        for (;;) {
          const { numUpdatedRows } = await db
            .updateTable(change.table)
            .set(change.to, sql.ref(change.from))
            // ctid, the row's physical address, works for any table, whatever its primary key.
            .where('ctid', 'in', (eb: ExpressionBuilder<any, any>) =>
              eb.selectFrom(change.table).select('ctid').where(change.to, 'is', null).where(change.from, 'is not', null).limit(batchSize),
            )
            .executeTakeFirst();
          if (numUpdatedRows === 0n) break;
        }
      },
    },
    // #endregion backfill
    // #region not-null
    checkNotNull: {
      // NOT VALID: only new writes are checked, so this needs its lock for a moment only.
      async up(db) {
        await sql`alter table ${n.table} add constraint ${n.check} check (${n.to} is not null) not valid`.execute(db);
      },
      async down(db) {
        await sql`alter table ${n.table} drop constraint ${n.check}`.execute(db);
      },
    },
    setNotNull: {
      async up(db) {
        // VALIDATE scans the table under a lock that lets writes through; SET NOT NULL then
        // trusts the validated constraint instead of scanning again under ACCESS EXCLUSIVE.
        await sql`alter table ${n.table} validate constraint ${n.check}`.execute(db);
        await sql`alter table ${n.table} alter column ${n.to} set not null`.execute(db);
        await sql`alter table ${n.table} drop constraint ${n.check}`.execute(db);
      },
      async down(db) {
        await sql`alter table ${n.table} alter column ${n.to} drop not null`.execute(db);
        await sql`alter table ${n.table} add constraint ${n.check} check (${n.to} is not null) not valid`.execute(db);
      },
    },
    // #endregion not-null
    // #region contract
    contract: {
      lintExceptions: {
        'ban-drop-column': 'contract step: it ships after every running copy of the code stopped reading and writing the old column',
      },
      async up(db) {
        await sql`drop trigger ${n.trigger} on ${n.table}`.execute(db);
        await sql`drop function ${n.trigger}()`.execute(db);
        await sql`alter table ${n.table} drop column ${n.from}`.execute(db);
      },
    },
    // #endregion contract
  };
}
