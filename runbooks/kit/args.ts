// Argument parsing for every runbook: each value is validated before anything connects.
import { parseArgs } from 'node:util';
import { COMMON_FLAGS, EXIT_CODES, type FlagSpec, type RunbookArgs } from './contract.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "30s", "5m", "1h" → milliseconds. */
function parseDuration(text: string, flag = 'duration'): number {
  if (/^\s*-/.test(text)) throw new UsageError(`--${flag} must be a positive duration like 500ms, 30s, 5m or 1h, got "${text}"`);
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`--${flag} must be a duration like 500ms, 30s, 5m or 1h, got "${text}"`);
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
  if (ms <= 0 || ms > 24 * 3_600_000) throw new UsageError(`--${flag} must be between 1ms and 24h, got "${text}"`);
  return ms;
}

/** A backend PID: digits only, positive, within int4. "1; drop table orders" is refused here. */
function parsePid(text: string, flag = 'pid'): number {
  if (!/^\d{1,10}$/.test(text.trim())) throw new UsageError(`--${flag} must be a positive integer (a backend PID), got "${text}"`);
  const pid = Number(text);
  if (pid < 1 || pid > 2_147_483_647) throw new UsageError(`--${flag} must be a positive integer (a backend PID), got "${text}"`);
  return pid;
}

function parseCount(text: string, flag: string): number {
  if (/^\s*-/.test(text)) throw new UsageError(`--${flag} must be a positive integer, got "${text}"`);
  if (!/^\d{1,6}$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`--${flag} must be a positive integer, got "${text}"`);
  return Number(text);
}

/** A table name, optionally schema-qualified. Existence is checked later against the catalog. */
function parseIdentifier(text: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/.test(text)) {
    throw new UsageError(`--${flag} must be a table name like orders or public.orders, got "${text}"`);
  }
  return text;
}

const SCHEME = /^postgres(ql)?:\/\//;
/** What may follow the user info: host (name, IPv4 or [IPv6]), optional port, optional /database and ?options. */
const AFTER_USERINFO = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%-]*)(:\d*)?(\/[^@#]*)?$/;

/**
 * A password pasted raw into a URL (`p@ss#w0rd`) makes a URL parser read part of it
 * as the host. The user info ends at the last "@" that is followed by a plausible host,
 * so a raw user or password is percent-encoded here; an already encoded one is kept.
 */
function normalizeConnectionUrl(text: string): string {
  const scheme = SCHEME.exec(text)?.[0];
  if (!scheme) return text;
  const rest = text.slice(scheme.length);
  for (let at = rest.lastIndexOf('@'); at > 0; at = rest.lastIndexOf('@', at - 1)) {
    const after = rest.slice(at + 1);
    if (!AFTER_USERINFO.test(after)) continue;
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    const password = colon < 0 ? undefined : userinfo.slice(colon + 1);
    const encode = (part: string) => (/^([A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*$/.test(part) ? part : encodeURIComponent(part));
    return `${scheme}${encode(user)}${password === undefined ? '' : `:${encode(password)}`}@${after}`;
  }
  return text;
}

/**
 * Checks a connection string the way the session will read it and returns it with a raw
 * password percent-encoded. The error never repeats the input: it may hold a password.
 */
export function checkConnectionUrl(text: string, source: string): string {
  if (!SCHEME.test(text)) throw new UsageError(`${source} must be a postgres:// URL`);
  const normalized = normalizeConnectionUrl(text);
  try {
    const url = new URL(normalized);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    decodeURIComponent(url.pathname);
  } catch {
    throw new UsageError(`${source} is not a valid URL (check the host and the port; a password is never printed)`);
  }
  return normalized;
}

function parseUrl(text: string, flag: string): string {
  return checkConnectionUrl(text, `--${flag}`);
}

function convert(spec: FlagSpec, raw: string | boolean | undefined): string | number | boolean | undefined {
  // A switch is off unless given: code reads `args.execute`, never `args.execute === true`.
  if (spec.type === 'boolean') return raw === true || raw === 'true';
  if (raw === undefined) return undefined;
  const text = String(raw);
  switch (spec.type) {
    case 'pid':
      return parsePid(text, spec.name);
    case 'duration':
      return parseDuration(text, spec.name);
    case 'count':
      return parseCount(text, spec.name);
    case 'identifier':
      return parseIdentifier(text, spec.name);
    case 'url':
      return parseUrl(text, spec.name);
    default:
      return text;
  }
}

/**
 * Parses and checks the command line against a runbook's flags and the common ones. The result
 * is typed from the specs themselves (runbooks/kit/contract.ts), so a runbook reads
 * `args['min-wait']` as a number and a misspelled flag name does not compile.
 */
export function parseRunbookArgs<Flags extends readonly FlagSpec[]>(argv: readonly string[], flags: Flags): RunbookArgs<Flags> {
  const all: readonly FlagSpec[] = [...flags, ...COMMON_FLAGS];
  // "--older-than -30s" would read -30s as a flag ("argument is ambiguous"); joined as
  // "--older-than=-30s" it reaches the flag's own check, which explains what is allowed.
  const valued = new Set(all.filter((spec) => spec.type !== 'boolean').map((spec) => `--${spec.name}`));
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (valued.has(argv[i]!) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argv[i]}=${next}`);
      i++;
    } else joined.push(argv[i]!);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joined,
      options: Object.fromEntries(all.map((spec) => [spec.name, { type: spec.type === 'boolean' ? 'boolean' : 'string' }] as const)),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
  const values: Record<string, string | boolean | undefined> = parsed.values;
  const result: Record<string, string | number | boolean | undefined> = {};
  for (const spec of all) result[spec.name] = convert(spec, values[spec.name] ?? spec.default);
  // The one place the type is asserted rather than inferred: every spec's name now holds a value
  // converted by that spec's type, which is what RunbookArgs<Flags> spells out per flag
  // (test/unit/runbook-contract.test.ts checks the two agree for every runbook).
  return result as RunbookArgs<Flags>;
}

export function helpText(slug: string, title: string, purpose: string, flags: readonly FlagSpec[], hasWrites: boolean): string {
  const all: readonly FlagSpec[] = [...flags, ...COMMON_FLAGS];
  const rows = all.filter((spec) => hasWrites || !['execute', 'yes', 'audit-log'].includes(spec.name));
  const flagLines = rows.map((spec) => {
    const value =
      spec.type === 'boolean'
        ? ''
        : ` <${spec.type === 'duration' ? 'duration' : spec.type === 'pid' ? 'pid' : spec.type === 'count' ? 'n' : 'value'}>`;
    const def = spec.default ? ` (default ${spec.default})` : '';
    return `  --${spec.name}${value}`.padEnd(40) + spec.description + def;
  });
  return [
    `${title} — runbook/${slug}`,
    '',
    purpose,
    '',
    `Usage: DATABASE_URL=postgres://… npx zx runbooks/${slug}.ts [flags]`,
    '',
    'Flags:',
    ...flagLines,
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([code, meaning]) => `  ${String(code).padEnd(3)} ${meaning}`),
  ].join('\n');
}
