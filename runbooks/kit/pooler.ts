// Runbooks send their timeouts and application_name as startup parameters, so that no
// step can run without them. A transaction pooler (PgBouncer) refuses those parameters,
// and could not keep a session's settings between transactions anyway. This turns the
// pooler's refusal into one line telling on-call to connect directly.

/** One line when `error` is a pooler refusing a startup parameter, else undefined. */
export function poolerRefusal(error: unknown, where: string): string | undefined {
  const message = (error as { message?: unknown } | null)?.message;
  const refused = typeof message === 'string' ? /unsupported startup parameter: (\w+)/.exec(message) : null;
  if (!refused) return undefined;
  return `${where} is a connection pooler (it refused the startup parameter ${refused[1]}); runbooks need a direct connection to PostgreSQL: point DATABASE_URL or --database-url at the server itself`;
}
