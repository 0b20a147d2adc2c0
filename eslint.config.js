// ESLint for the handbook (`npm run lint`, with Prettier, knip and the migration linter):
// typescript-eslint's type-aware recommended rules everywhere, relaxed only where a rule
// fights what the code is for (each exception says why), then the migration guardrail.
import { defineConfig, globalIgnores } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import migration from './scripts/lint/plugin.ts';
import inventory from './scripts/inventory/storefront.config.json' with { type: 'json' };

const UNSAFE_ANY_RULES = {
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
};

export default defineConfig([
  // (1) Never linted: build output, generated files, and the inventory's sample codebases.
  globalIgnores(['dist/', '.astro/', '.handbook/', 'node_modules/', 'public/', 'test/unit/inventory/fixtures/']),

  // (2) Recommended rules, with type information for TypeScript.
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Tests assert on rows from pg and on parsed JSON reports, which are `any` until the
    // assertion checks them; typing every row first would restate the assertion.
    files: ['test/**/*.ts'],
    rules: UNSAFE_ANY_RULES,
  },
  {
    // The "before" side of every example is raw SQL on pg, whose rows are `any`. That lack
    // of types is what the guide migrates away from; typing the raw rows would show readers
    // code their legacy codebase does not have. The Kysely sides are typed by Kysely.
    files: ['snippets/**/*.ts'],
    rules: UNSAFE_ANY_RULES,
  },
  {
    // Kysely's own advice: a migration takes Kysely<any>, because it must keep compiling
    // after later migrations change the schema types.
    files: ['snippets/app/migrations/**/*.ts', 'snippets/schema-changes/**/*.ts', 'test/unit/migration-lint/fixtures/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Exercise starters are unfinished on purpose: the learner fills in the bodies, so
    // parameters are unused and async functions do not await yet.
    files: ['snippets/training/*/starter.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off', '@typescript-eslint/require-await': 'off' },
  },

  // #region guardrail
  // (3) The guardrail: no new raw SQL in the Storefront app and service. The scope, the legacy
  //     layer (where raw SQL lives until it is deleted) and the allow-list (each entry with a
  //     reason) come from the inventory's config, so `npm run inventory` and this rule agree.
  //     Snippets that show raw SQL on purpose (snippets/conversions, training…) are outside it.
  {
    files: inventory.paths.map((path) => (/\.[cm]?[jt]sx?$/.test(path) ? path : `${path}/**/*.{ts,mts,cts,tsx,js,mjs,cjs}`)),
    ignores: inventory.legacy,
    plugins: { migration },
    rules: { 'migration/no-raw-query': ['error', { allow: inventory.allow }] },
  },
  // #endregion guardrail
]);
