import type { Kysely } from 'kysely';

// Listing a customer's orders newest first was a sequential scan before this index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('orders_customer_id_created_at_idx')
    .on('orders')
    .columns(['customer_id', 'created_at desc'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_customer_id_created_at_idx').execute();
}
