// Which tables a piece of SQL touches, read by PostgreSQL's own parser (libpg-query, compiled
// to WebAssembly: nothing to build or download at install time).
//
// Complete statements are parsed; every RangeVar (a table reference in FROM, JOIN, INSERT INTO,
// UPDATE, DELETE, TRUNCATE, ALTER …) is a table, except names that a WITH clause defines.
// SQL built at run time has only a skeleton (its literal parts); that rarely parses, so it is
// tokenised with PostgreSQL's scanner instead and the identifiers after FROM, JOIN, INTO,
// UPDATE and TABLE are taken. Those results are marked "scanned", not "parsed".
import { loadModule, parseSync, scanSync, type ScanToken } from 'libpg-query';

export type TablesSource = 'parsed' | 'scanned' | 'builder' | 'none';

export interface TablesResult {
  tables: string[];
  source: TablesSource;
  /** Set when complete SQL did not parse: the parser's message. */
  parseError?: string;
}

let loaded: Promise<void> | undefined;

/** The WebAssembly module loads once, asynchronously; call this before tablesOf. */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Tables of a complete statement (or several, separated by semicolons). */
export function tablesOf(sql: string): TablesResult {
  try {
    const tree = parseSync(sql) as unknown;
    return { tables: tablesInTree(tree), source: 'parsed' };
  } catch (error) {
    // Still worth a scan: the text may be a fragment (a WHERE clause a wrapper completes).
    const scanned = tablesByScanning(sql);
    return { tables: scanned, source: scanned.length ? 'scanned' : 'none', parseError: (error as Error).message };
  }
}

/**
 * Tables named in the literal parts of SQL built at run time. Each run-time part stands as
 * the identifier `placeholder`: `from ${schema}.jobs` reads as table jobs in an unknown schema.
 */
export function tablesOfSkeleton(skeleton: string, dynamicPart: string): TablesResult {
  const placeholder = dynamicPart.trim();
  const known = (tables: string[]) =>
    tables
      .map((table) => (table.startsWith(`${placeholder}.`) ? table.slice(placeholder.length + 1) : table))
      .filter((table) => !table.includes(placeholder));
  try {
    const tables = known(tablesInTree(parseSync(skeleton)));
    if (tables.length) return { tables, source: 'scanned' };
  } catch {
    // expected: a run-time part usually stands where an identifier cannot
  }
  const tables = known(tablesByScanning(skeleton));
  return { tables, source: tables.length ? 'scanned' : 'none' };
}

function tablesInTree(tree: unknown): string[] {
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    // A RangeVar appears wrapped ({ RangeVar: {…} }) where any node may stand, and bare where
    // the grammar allows only a table (InsertStmt.relation): recognise it by its fields.
    const { relname, schemaname, ctename } = node as { relname?: unknown; schemaname?: unknown; ctename?: unknown };
    if (typeof relname === 'string') tables.add(typeof schemaname === 'string' && schemaname ? `${schemaname}.${relname}` : relname);
    if (typeof ctename === 'string') ctes.add(ctename);
    // FOR UPDATE OF x names a FROM item (often an alias) as a RangeVar: already counted, or not a table.
    for (const [key, value] of Object.entries(node)) if (key !== 'lockingClause') walk(value);
  };
  walk(tree);
  return [...tables].filter((table) => !ctes.has(table)).sort();
}

const TABLE_KEYWORDS = new Set(['from', 'join', 'into', 'update', 'table']);
const FROM_IN_FUNCTION = new Set(['extract', 'substring', 'trim', 'overlay', 'position']);

function tablesByScanning(sql: string): string[] {
  let tokens: ScanToken[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return [];
  }
  const word = (index: number) => tokens[index]?.text.toLowerCase();
  const isIdentifier = (index: number) => tokens[index]?.tokenName === 'IDENT';
  const tables = new Set<string>();
  const ctes = new Set<string>();
  // The function each open parenthesis belongs to: FROM inside extract(… from …) is not a table's.
  const openedBy: string[] = [];
  tokens.forEach((token, index) => {
    if (token.text === '(') openedBy.push(word(index - 1) ?? '');
    if (token.text === ')') openedBy.pop();
    // name AS (   or   name (a, b) AS (   defines a CTE
    if (isIdentifier(index)) {
      let next = index + 1;
      if (word(next) === '(') {
        while (next < tokens.length && word(next) !== ')') next++;
        next++;
      }
      if (word(next) === 'as' && (word(next + 1) === '(' || word(next + 1) === 'materialized' || word(next + 1) === 'not'))
        ctes.add(token.text);
    }
    const keyword = token.text.toLowerCase();
    if (!TABLE_KEYWORDS.has(keyword) || token.tokenName === 'IDENT') return;
    if (keyword === 'from' && (FROM_IN_FUNCTION.has(openedBy.at(-1) ?? '') || word(index - 1) === 'distinct')) return;
    // SELECT … FOR UPDATE OF t, FOR NO KEY UPDATE: a lock clause names an alias, not a table
    if (keyword === 'update' && (word(index - 1) === 'for' || word(index - 1) === 'key')) return;
    let next = index + 1;
    if (word(next) === 'only') next++;
    if (!isIdentifier(next)) return;
    let name = tokens[next]!.text;
    let last = next;
    if (word(next + 1) === '.' && isIdentifier(next + 2)) {
      name = `${name}.${tokens[next + 2]!.text}`;
      last = next + 2;
    }
    // from generate_series(…), from schema.add_job(…): a set-returning function, not a table
    if (word(last + 1) === '(' && !['into', 'table'].includes(token.text.toLowerCase())) return;
    tables.add(name.replace(/"/g, ''));
  });
  return [...tables].filter((table) => !ctes.has(table)).sort();
}
