import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Exercise } from '../kit.ts';

type Module = typeof import('./solution.ts');
const uniqueEmail = () => `trainee-${randomBytes(6).toString('hex')}@example.test`;

export const exercise: Exercise<Module> = {
  number: 2,
  slug: '02-types',
  title: 'Types and the Database interface',
  starter: () => import('./starter.ts'),
  solution: () => import('./solution.ts'),
  checks: [
    {
      name: 'createCustomer stores the customer and returns the row with the id and created_at the database generated',
      hint: "db.insertInto('customers').values(customer).returningAll().executeTakeFirstOrThrow()",
      async run({ createCustomer }, { db, pool }) {
        const email = uniqueEmail();
        const row = await createCustomer(db, { email, name: 'Ada Trainee' });
        assert.equal(typeof row.id, 'number', 'the returned row has a numeric id');
        assert.ok(row.created_at instanceof Date, 'created_at comes back as a Date');
        const { rows } = await pool.query(`select id, email, name from customers where email = $1`, [email]);
        assert.deepEqual(rows, [{ id: row.id, email, name: 'Ada Trainee' }]);
      },
    },
    {
      name: 'updateCustomer changes only the columns in the patch and returns the updated row',
      hint: "db.updateTable('customers').set(patch).where('id', '=', id).returningAll().executeTakeFirst()",
      async run({ updateCustomer }, { db, pool }) {
        const email = uniqueEmail();
        const { rows } = await pool.query(`insert into customers (email, name) values ($1, 'Before') returning id`, [email]);
        const updated = await updateCustomer(db, rows[0].id, { name: 'After' });
        assert.equal(updated?.name, 'After');
        assert.equal(updated?.email, email, 'the email was not in the patch, so it must not change');
        const { rows: stored } = await pool.query(`select name, email from customers where id = $1`, [rows[0].id]);
        assert.deepEqual(stored, [{ name: 'After', email }]);
      },
    },
    {
      name: 'updateCustomer returns undefined when the customer does not exist',
      hint: '.executeTakeFirst() resolves to undefined when the update matched no row.',
      async run({ updateCustomer }, { db }) {
        assert.equal(await updateCustomer(db, 999_999, { name: 'Nobody' }), undefined);
      },
    },
  ],
};
