// `npm run lint` (with Prettier and knip): typescript-eslint's type-aware recommended
// rules everywhere, relaxed only where a rule fights what the code is for; each exception
// says why. Formatting is Prettier's job, unused files and exports are knip's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', '.astro/', '.handbook/', 'node_modules/', 'public/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Tests assert on rows from pg and on parsed JSON reports, which are `any` until the
    // assertion checks them; typing every row first would restate the assertion.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // The "before" side of every example is raw SQL on pg, whose rows are `any`. That lack
    // of types is what the guide migrates away from; typing the raw rows here would show
    // readers code their legacy codebase does not have. The Kysely sides are typed anyway.
    files: ['snippets/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Kysely's own advice: a migration takes Kysely<any>, because it must keep compiling
    // after later migrations change the schema types.
    files: ['snippets/app/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Exercise starters are unfinished on purpose: the learner fills in the bodies, so
    // parameters are unused and async functions do not await yet.
    files: ['snippets/training/*/starter.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off', '@typescript-eslint/require-await': 'off' },
  },
);
