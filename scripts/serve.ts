// npm run serve: the Storefront HTTP service on the resolver's database
// (DATABASE_URL, else a container, else an embedded server), migrated and seeded if empty.
//   PORT=3000 HOST=127.0.0.1 npm run serve
import { resolveDatabase } from './db/resolve-database.ts';
import { redactUrl } from './db/redact-url.ts';
import { prepareServiceDatabase } from './service/prepare-database.ts';
import { startStorefrontService } from '../snippets/service/storefront-service.ts';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer from 0 to 65535, got "${process.env.PORT}"`);
  process.exit(2);
}

const server = await resolveDatabase();
let service: Awaited<ReturnType<typeof startStorefrontService>> | undefined;
try {
  const prepared = await prepareServiceDatabase(server.url);
  console.error(`[serve] database ${redactUrl(prepared.url)}${prepared.created ? ' (created)' : ''}${prepared.seeded ? ' (seeded)' : ''}`);
  service = await startStorefrontService({
    databaseUrl: prepared.url,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    defaultMetrics: true,
  });
} catch (error) {
  console.error(`[serve] could not start: ${error instanceof Error ? error.message : String(error)}`);
  await server.stop();
  process.exit(3);
}

console.log(`Storefront service on ${service.url}`);
console.log(`  ${service.url}/healthz   database and migrations`);
console.log(`  ${service.url}/metrics   Prometheus metrics`);
console.log(`  ${service.url}/products?limit=5`);
console.log('Ctrl-C stops it (and an embedded database with it).');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await service?.close();
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
