import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm02',
  questions: [
    {
      prompt: 'Someone renames price_cents to price in a migration and regenerates the types. Which version fails to compile?',
      code: { file: 'training/02-types/compare.ts', region: 'legacy' },
      choices: [
        { text: 'Only the legacy version, because it names its interface.' },
        { text: 'Only the Kysely version, because its column list is checked against the Database interface.', correct: true },
        { text: 'Both, because TypeScript reads the SQL string.' },
      ],
      explanation:
        'The legacy interface is written by hand and the SQL is a string: nothing connects them to the schema, so the code compiles and fails at run time. The Kysely select list is checked against the generated Database type, so the stale column name is a compile error.',
    },
    {
      prompt: 'Why can createCustomer be called without an id or created_at?',
      code: { file: 'training/02-types/solution.ts', region: 'row-types' },
      choices: [
        { text: 'Because Insertable makes every column optional.' },
        { text: 'Because those columns are Generated in the schema, and Insertable makes generated columns optional.', correct: true },
        { text: 'Because Kysely fills them in JavaScript before inserting.' },
      ],
      explanation:
        'kysely-codegen marks columns with a database default as Generated. Insertable leaves them optional and Selectable makes them always present, so the inserted row needs only email and name while the returned row has all columns.',
    },
    {
      prompt: 'Where does the Database interface of this project come from?',
      choices: [
        { text: 'It is written by hand next to each repository.' },
        { text: 'It is generated from the migrated schema by kysely-codegen, and a test fails when it drifts.', correct: true },
        { text: 'Kysely reads it from PostgreSQL at run time.' },
      ],
      explanation:
        'npm run db:types regenerates snippets/app/schema.generated.ts from a migrated database. Kysely itself never inspects the database at run time: the types only exist at compile time.',
    },
  ],
};
