// The `Database` type Kysely checks every query against. The table interfaces are
// generated from the migrated schema by kysely-codegen (`npm run db:types`) into
// schema.generated.ts; a test fails when that file drifts from the migrations.
import type { DB } from './schema.generated.ts';

export type Database = DB;
export type * from './schema.generated.ts';
