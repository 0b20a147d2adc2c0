// npm run serve: the Storefront HTTP service on the resolver's database
// (DATABASE_URL, else a container, else an embedded server), migrated and seeded if empty.
//   PORT=3000 HOST=127.0.0.1 npm run serve
//   npm run serve -- --instances 3     three processes on one port and one database;
//                                      a write through one reaches the others' caches by NOTIFY
//   LISTEN_DATABASE_URL=postgres://…   a direct connection for the cache listener, when
//                                      DATABASE_URL points at PgBouncer (transaction pooling)
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { resolveDatabase } from '../lib/db/resolve-database.ts';
import { redactUrl } from '../lib/db/redact-url.ts';
import { prepareServiceDatabase } from './service/prepare-database.ts';
import { startStorefrontService } from '../snippets/service/storefront-service.ts';

const USAGE = 'usage: npm run serve [-- --instances <1-16>]   (PORT, HOST, DATABASE_URL, LISTEN_DATABASE_URL from the environment)';

if (cluster.isPrimary) {
  let instances = 1;
  try {
    const { values } = parseArgs({ options: { instances: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.instances !== undefined) {
      instances = Number(values.instances);
      if (!/^\d+$/.test(values.instances) || instances < 1 || instances > 16)
        throw new Error(`--instances must be an integer from 1 to 16, got "${values.instances}"`);
    }
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer from 0 to 65535, got "${process.env.PORT}"`);
    process.exit(2);
  }

  const server = await resolveDatabase();
  let databaseUrl: string;
  try {
    const prepared = await prepareServiceDatabase(server.url);
    databaseUrl = prepared.url;
    console.error(
      `[serve] database ${redactUrl(prepared.url)}${prepared.created ? ' (created)' : ''}${prepared.seeded ? ' (seeded)' : ''}`,
    );
    if (prepared.sessionDefaultsWarning)
      console.error(`[serve] warning: could not store the role's timeouts: ${prepared.sessionDefaultsWarning}`);
  } catch (error) {
    console.error(`[serve] could not start: ${error instanceof Error ? error.message : String(error)}`);
    await server.stop();
    process.exit(3);
  }

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // Each instance closes its pool and LISTEN connection on SIGTERM; the server stops after.
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    const exited = workers.map((worker) => new Promise((resolve) => (worker.isDead() ? resolve(null) : worker.once('exit', resolve))));
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // Each instance is its own process with its own pool, cache and LISTEN connection: nothing shared but PostgreSQL.
  cluster.setupPrimary({ args: [] });
  let started = 0;
  for (let i = 1; i <= instances; i++) {
    const worker = cluster.fork({ SERVE_DATABASE_URL: databaseUrl, SERVE_INSTANCE: String(i), PORT: String(port) });
    worker.on('message', (message: { url?: string; failed?: string }) => {
      if (message.failed) {
        console.error(`[serve] instance ${i} could not start: ${message.failed}`);
        void stop(3);
      } else if (message.url && ++started === instances) {
        console.log(`Storefront service on ${message.url} (${instances} instance${instances > 1 ? 's' : ''})`);
        console.log(`  ${message.url}/healthz   database and migrations`);
        console.log(`  ${message.url}/metrics   Prometheus metrics (of whichever instance answers)`);
        console.log(`  ${message.url}/products?limit=5`);
        console.log('Ctrl-C stops it (and an embedded database with it).');
      }
    });
  }
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`[serve] an instance (pid ${worker.process.pid}) exited with ${code}; stopping`);
      void stop(1);
    }
  });
} else {
  try {
    const service = await startStorefrontService({
      databaseUrl: process.env.SERVE_DATABASE_URL!,
      listenUrl: process.env.LISTEN_DATABASE_URL,
      port: Number(process.env.PORT),
      host: process.env.HOST ?? '127.0.0.1',
      defaultMetrics: true,
    });
    process.send?.({ url: service.url });
    process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
    process.on('SIGINT', () => {});
  } catch (error) {
    process.send?.({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(3);
  }
}
