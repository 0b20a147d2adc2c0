// ESLint for the handbook. For now it runs one rule: the migration guardrail.
// Issue 12 adds the recommended and type-aware typescript-eslint rule sets, Prettier and knip:
// add them as new entries between (2) and (3), so the guardrail stays last and always applies.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import migration from './scripts/lint/plugin.ts';
import inventory from './scripts/inventory/storefront.config.json' with { type: 'json' };

export default defineConfig([
  // (1) Never linted: build output, generated files, and third-party code.
  globalIgnores(['dist/', '.astro/', '.handbook/', 'node_modules/']),

  // (2) TypeScript everywhere is parsed by typescript-eslint's parser.
  {
    files: ['**/*.{ts,mts,cts,tsx}'],
    languageOptions: { parser: tseslint.parser },
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
