// Real login roles for least-privilege tests: created on the test server with a
// random name and password, dropped afterwards. Never mocks of a permission check.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface TestRole {
  name: string;
  password: string;
  /** The test database's URL, logged in as this role. */
  url: string;
  drop(): Promise<void>;
}

/** `memberOf`: predefined roles such as pg_monitor and pg_signal_backend (none: a plain login role). */
export async function createRole(admin: pg.Pool, databaseUrl: string, memberOf: string[], label = 'rb'): Promise<TestRole> {
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('hex');
  // Names are generated above and the predefined roles are literals in the tests: nothing user-typed.
  await admin.query(`create role ${name} login password '${password}'${memberOf.length ? ` in role ${memberOf.join(', ')}` : ''}`);
  const url = new URL(databaseUrl);
  url.username = name;
  url.password = password;
  return {
    name,
    password,
    url: url.toString(),
    drop: async () => {
      // Ends the role's leftover sessions first: DROP ROLE fails while it owns a connection.
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = $1`, [name]);
      await admin.query(`drop role if exists ${name}`);
    },
  };
}

/** The role the runbook pages recommend for on-call: diagnosis and signalling, nothing more. */
export const DOCUMENTED_ROLE = ['pg_monitor', 'pg_signal_backend'];
