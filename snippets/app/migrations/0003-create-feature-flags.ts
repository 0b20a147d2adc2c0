import { sql, type Kysely } from 'kysely';

// The switch between the legacy and the Kysely data layer lives in the database,
// so on-call can flip it with one UPDATE (see the rollback runbook), no deploy needed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feature_flags')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Stage 1 of the rollout: the table exists and the flag says legacy. Switching to kysely
  // is a separate, deliberate step (see the rolling-out guide), never a side effect of migrating.
  await db.insertInto('feature_flags').values({ key: 'data_layer', value: 'legacy' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feature_flags').execute();
}
