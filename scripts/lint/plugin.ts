// The handbook's local ESLint plugin: rules that keep the migration moving in one direction.
import type { ESLint } from 'eslint';
import { noRawQuery } from './no-raw-query.ts';

const plugin: ESLint.Plugin = {
  meta: { name: 'migration' },
  rules: { 'no-raw-query': noRawQuery },
};

export default plugin;
