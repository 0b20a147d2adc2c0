import type pg from 'pg';

export const TEST_SEED = 42;
export const TEST_SCALE = 1;

export const templateName = (runId: string) => `hb_template_${runId}`;
export const cloneName = (runId: string, suffix: string) => `hb_clone_${runId}_${suffix}`;

export async function databasesOfRun(admin: pg.Pool, runId: string): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 order by datname`, [
    `hb\\_clone\\_${runId}\\_%`,
  ]);
  return rows.map((row) => row.datname);
}
