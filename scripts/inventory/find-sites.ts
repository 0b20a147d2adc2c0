// Finds the places where a codebase sends SQL, by reading its syntax trees with the TypeScript
// compiler API (a regex cannot tell `pool.query(text)` inside a wrapper from a call to that
// wrapper, or a Kysely `sql` tag from a postgres.js one). Pure: files in, sites out; no file
// system, no SQL parsing (sql-tables.ts does that).
//
// What counts as a site, and how it is classified:
//   query-call      `x.query(…)` on any receiver (pool, client, this.db…), with at least one argument
//   wrapper         a `.query` call (or another raw site) whose SQL is the enclosing function's own
//                   parameter: the function forwards SQL it is given, so its callers are sites too
//   wrapper-call    a call to such a wrapper, by name, found across all files (transitively: a
//                   function that passes its own parameter to a wrapper is a wrapper as well)
//   template-tag    sql`…` / SQL`…` from anything but Kysely (sql-template-strings, postgres.js,
//                   slonik, a home-grown tag), or a tag function in the codebase that returns
//                   a query config ({ text, values })
//   kysely-raw      sql.raw(…) / sql.lit(…): raw text spliced into a Kysely query
//   kysely-sql      a Kysely sql`…` template that is executed itself: sql`…`.execute(db)
//   kysely-builder  a Kysely query-builder chain ending in execute(), executeTakeFirst() or
//                   executeTakeFirstOrThrow(); subqueries belong to the chain they sit in
// A Kysely sql`…` fragment inside a builder chain is part of that query, not a site of its own.
import ts from 'typescript';

export type SiteKind = 'query-call' | 'wrapper' | 'wrapper-call' | 'template-tag' | 'kysely-raw' | 'kysely-sql' | 'kysely-builder';

export interface SourceInput {
  /** Path as it should be reported (relative to the folder scanned, forward slashes). */
  path: string;
  text: string;
}

export interface FoundSite {
  file: string;
  line: number;
  column: number;
  /** The nearest named function around the site, or "(top level)". */
  function: string;
  kind: SiteKind;
  /** What was called, as written: "pool.query", "this.executeSql", "sql.raw", "sql`…`". */
  callee: string;
  /** For wrapper-call: the wrapper's name. */
  via?: string;
  /** The SQL text when it is known statically; undefined when it is built at run time. */
  sql: string | undefined;
  /**
   * For dynamic SQL built from a template or concatenation: its literal parts, with each
   * run-time part replaced by DYNAMIC_PART. Good enough to find the tables it names.
   */
  sqlSkeleton?: string;
  /** Tables a Kysely builder chain names (selectFrom, joins, insertInto, …), CTE names removed. */
  builderTables?: string[];
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

const EXECUTE_METHODS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow']);
// Methods that start or join a Kysely data query; their first argument names a table.
const TABLE_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
  'using',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'crossJoin',
  'innerJoinLateral',
  'leftJoinLateral',
]);
const STARTER_METHODS = new Set(['selectFrom', 'selectNoFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);
const CTE_METHODS = new Set(['with', 'withRecursive', 'withMaterialized', 'withNotMaterialized']);
const SQL_TAG_NAMES = /^(sql|SQL)$/;
// Modules whose `sql` export is Kysely's: its template binds values and runs through Kysely.
const KYSELY_MODULES = /^kysely(\/|$)/;

interface ParsedFile {
  path: string;
  source: ts.SourceFile;
  /** Local name -> module it was imported (or required) from. */
  imports: Map<string, string>;
  /**
   * Shared by all files: function name -> the expression it returns, so SQL built by a helper
   * (`executeSql(plans.getQueues(schema).text)`) can be followed. null when two functions share
   * the name and the call cannot be resolved without types.
   */
  returns: Map<string, ts.Expression | null>;
}

interface Wrapper {
  name: string;
  /** Which parameter carries the SQL. */
  parameterIndex: number;
  /**
   * Methods are called as `x.name(…)`, functions as `name(…)` (or `module.name(…)` on a namespace
   * import). Keeping them apart stops a wrapper method called `run` from claiming every `run(…)`.
   */
  method: boolean;
}

export function findSites(inputs: readonly SourceInput[]): FoundSite[] {
  const returns = new Map<string, ts.Expression | null>();
  const files = inputs.map((input) => parseFile(input, returns));
  for (const file of files) {
    visit(file.source, (node) => {
      const fn = asNamedFunction(node);
      const returned = fn && returnedExpression(fn.node);
      if (!fn || !returned) return;
      returns.set(fn.name, returns.has(fn.name) ? null : returned);
    });
  }
  const sites: FoundSite[] = [];
  // Several wrappers may share a name (a function run() here, a method run() there).
  const wrappers = new Map<string, Wrapper[]>();
  const addWrapper = (wrapper: Wrapper): boolean => {
    const known = wrappers.get(wrapper.name) ?? [];
    if (known.some((other) => other.method === wrapper.method && other.parameterIndex === wrapper.parameterIndex)) return false;
    wrappers.set(wrapper.name, [...known, wrapper]);
    return true;
  };
  const tagBuilders = new Set<string>();
  const builderFunctions = new Map<string, string[]>();

  // 1. Names the later passes look for: tag functions that build query configs, and functions
  //    that return an unexecuted Kysely chain (`selectOrders(db).where(…).execute()`).
  for (const file of files) {
    visit(file.source, (node) => {
      const fn = asNamedFunction(node);
      if (!fn) return;
      if (returnsQueryConfig(fn.node)) tagBuilders.add(fn.name);
      const chain = returnedExpression(fn.node);
      if (chain && chainHasStarter(chain)) builderFunctions.set(fn.name, tablesOfChain(chain, file, builderFunctions));
    });
  }

  // 2. Primitive sites, each in its file; a site whose SQL is its function's parameter makes a wrapper.
  const seen = new Set<ts.Node>();
  // A tagged template passed straight to a query (`pool.query(SQL`…`)`) is one site, not two:
  // the call is kept, with the template's text.
  const tagSites = new Map<ts.Node, FoundSite>();
  const consumedTags = new Set<ts.Node>();
  const consume = (expression: ts.Expression | undefined) => {
    const node = expression && unwrap(expression);
    if (node && ts.isTaggedTemplateExpression(node)) consumedTags.add(node);
  };
  for (const file of files) {
    visit(file.source, (node) => {
      const site = primitiveSite(node, file, tagBuilders, builderFunctions);
      if (!site) return;
      seen.add(node);
      consume(site.sqlExpression);
      // Only `.query` forwarding makes a wrapper (sql.raw(column) in a sortBy(column) is not one:
      // its callers pass a column name, not SQL).
      const wrapper = site.sqlExpression && site.found.kind === 'query-call' ? forwardedParameter(site.sqlExpression, node) : undefined;
      if (wrapper) {
        addWrapper(wrapper);
        sites.push({ ...site.found, kind: 'wrapper', sql: undefined, sqlSkeleton: undefined });
      } else {
        sites.push(site.found);
        if (site.found.kind === 'template-tag') tagSites.set(node, site.found);
      }
    });
  }

  // 3. Calls to wrappers, until no new wrapper appears (a wrapper of a wrapper).
  for (let changed = true; changed;) {
    changed = false;
    for (const file of files) {
      visit(file.source, (node) => {
        if (seen.has(node) || !ts.isCallExpression(node)) return;
        const name = calleeName(node.expression);
        // x.query(…) is already a query-call; a plain query(…) may be a wrapper function called query.
        const memberQuery = name === 'query' && !ts.isIdentifier(unwrap(node.expression));
        const candidates = name === undefined || memberQuery ? [] : (wrappers.get(name) ?? []);
        const wrapper = candidates.find((candidate) => callFits(node, candidate, file) && node.arguments[candidate.parameterIndex]);
        if (!wrapper) return;
        // With a rest parameter (`...args`) the SQL is still the first of the arguments it collects.
        const given = node.arguments[wrapper.parameterIndex];
        if (!given) return;
        const argument = ts.isSpreadElement(given) ? given.expression : given;
        seen.add(node);
        consume(argument);
        const base = describe(node, file, node.expression.getText(file.source));
        const forwarded = forwardedParameter(argument, node);
        if (forwarded && addWrapper(forwarded)) changed = true;
        if (forwarded) {
          sites.push({ ...base, kind: 'wrapper', via: name, sql: undefined });
        } else {
          sites.push({ ...base, kind: 'wrapper-call', via: name, ...sqlOf(argument, file) });
        }
      });
    }
  }

  const consumed = new Set([...consumedTags].map((node) => tagSites.get(node)).filter((site) => site !== undefined));
  return sites.filter((site) => !consumed.has(site)).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

// ------------------------------------------------------------------ primitive sites

interface Primitive {
  found: FoundSite;
  /** The expression that carries the SQL, when the site takes it as an argument. */
  sqlExpression?: ts.Expression;
}

function primitiveSite(
  node: ts.Node,
  file: ParsedFile,
  tagBuilders: Set<string>,
  builderFunctions: Map<string, string[]>,
): Primitive | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    const receiver = node.expression.expression;
    const first = node.arguments[0];

    if (method === 'query' && first) {
      const sqlExpression = ts.isSpreadElement(first) ? first.expression : first;
      return {
        found: { ...describe(node, file, node.expression.getText(file.source)), kind: 'query-call', ...sqlOf(sqlExpression, file) },
        sqlExpression,
      };
    }

    if ((method === 'raw' || method === 'lit') && ts.isIdentifier(receiver) && isKyselySql(receiver.text, file) && first) {
      return {
        found: { ...describe(node, file, `${receiver.text}.${method}`), kind: 'kysely-raw', ...sqlOf(first, file) },
        sqlExpression: first,
      };
    }

    if (EXECUTE_METHODS.has(method)) {
      if (
        ts.isTaggedTemplateExpression(receiver) &&
        ts.isIdentifier(receiver.tag) &&
        (isKyselySql(receiver.tag.text, file) || usedLikeKyselySql(receiver, file))
      ) {
        return {
          found: {
            ...describe(node, file, `${receiver.tag.text}\`…\``),
            kind: 'kysely-sql',
            sql: templateWithPlaceholders(receiver.template),
          },
        };
      }
      const methods = receiverChain(receiver);
      const rootCall = methods.root;
      const fromBuilderFunction = ts.isCallExpression(rootCall) ? calleeName(rootCall.expression) : undefined;
      if (methods.names.some((name) => STARTER_METHODS.has(name)) || (fromBuilderFunction && builderFunctions.has(fromBuilderFunction))) {
        const tables = new Set(tablesOfChain(receiver, file, builderFunctions));
        return {
          found: {
            ...describe(node, file, `${methods.head}…${method}()`),
            kind: 'kysely-builder',
            sql: undefined,
            builderTables: [...tables].sort(),
          },
        };
      }
    }
  }

  if (ts.isTaggedTemplateExpression(node)) {
    const tag = tagName(node.tag);
    if (!tag || isInsideSameTag(node, tag)) return undefined;
    const rootName = tag.split('.')[0]!;
    // A fragment of a Kysely query, or executed (above).
    if (isKyselySql(rootName, file) || usedLikeKyselySql(node, file)) return undefined;
    if (SQL_TAG_NAMES.test(rootName) || tagBuilders.has(rootName)) {
      return { found: { ...describe(node, file, `${tag}\`…\``), kind: 'template-tag', sql: templateWithPlaceholders(node.template) } };
    }
  }
  return undefined;
}

/** `sql` counts as Kysely's when it was imported from kysely (or re-exported under that name). */
function isKyselySql(name: string, file: ParsedFile): boolean {
  const from = file.imports.get(name);
  return name === 'sql' && from !== undefined && KYSELY_MODULES.test(from);
}

// Methods only a Kysely RawBuilder has: sql`…`.as('x'), .execute(db), .$castTo<T>().
const KYSELY_RAW_BUILDER_METHODS = new Set(['execute', 'as', '$castTo', '$notNull', 'compile', 'toOperationNode']);

/**
 * Kysely's `sql` re-exported from a module of the codebase (import { sql } from './db') is not
 * imported from kysely, but it is used like one: its result is executed with a database, aliased
 * with .as(), or cast. A postgres.js or sql-template-strings tag is awaited or passed to query().
 */
function usedLikeKyselySql(node: ts.TaggedTemplateExpression, file: ParsedFile): boolean {
  if (!ts.isIdentifier(node.tag) || node.tag.text !== 'sql') return false;
  const from = file.imports.get('sql');
  if (from === undefined || !from.startsWith('.')) return false;
  const parent = node.parent;
  return ts.isPropertyAccessExpression(parent) && parent.expression === node && KYSELY_RAW_BUILDER_METHODS.has(parent.name.text);
}

function tagName(tag: ts.Expression): string | undefined {
  if (ts.isIdentifier(tag)) return tag.text;
  if (ts.isPropertyAccessExpression(tag) && ts.isIdentifier(tag.expression)) return `${tag.expression.text}.${tag.name.text}`;
  return undefined;
}

/** A sql`…` nested in another sql`…` of the same tag is a fragment of the outer query. */
function isInsideSameTag(node: ts.TaggedTemplateExpression, tag: string): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (ts.isTaggedTemplateExpression(parent) && tagName(parent.tag) === tag) return true;
    if (isFunctionLike(parent)) return false;
  }
  return false;
}

/** The methods called along a chain, outermost first: a.b().c().d -> names [c, b], root a. */
function receiverChain(expression: ts.Expression): { names: string[]; root: ts.Expression; head: string } {
  const names: string[] = [];
  let current = expression;
  for (;;) {
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      names.push(current.expression.name.text);
      current = current.expression.expression;
    } else if (ts.isPropertyAccessExpression(current) || ts.isNonNullExpression(current) || ts.isParenthesizedExpression(current)) {
      current = current.expression;
    } else if (ts.isAwaitExpression(current)) {
      current = current.expression;
    } else {
      break;
    }
  }
  const rootText = ts.isCallExpression(current)
    ? `${calleeName(current.expression) ?? '?'}()`
    : ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword
      ? current.getText()
      : '…';
  const first = names[names.length - 1];
  return { names, root: current, head: first ? `${rootText}.${first}(…)` : rootText };
}

function chainHasStarter(expression: ts.Expression): boolean {
  return receiverChain(expression).names.some((name) => STARTER_METHODS.has(name));
}

/** Tables named anywhere in a Kysely chain, subqueries included, minus the names of its CTEs. */
function tablesOfChain(expression: ts.Expression, file: ParsedFile, builderFunctions: Map<string, string[]>): string[] {
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const collect = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const method = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : undefined;
      const first = node.arguments[0];
      if (method && TABLE_METHODS.has(method) && first) {
        for (const name of stringsOf(first, file)) tables.add(tableOfKyselyReference(name));
      }
      if (method && CTE_METHODS.has(method) && first) {
        for (const name of stringsOf(first, file)) ctes.add(name.split(/[\s(]/)[0]!);
      }
      const called = calleeName(node.expression);
      if (!method && called && builderFunctions.has(called)) for (const table of builderFunctions.get(called)!) tables.add(table);
    }
    ts.forEachChild(node, collect);
  };
  collect(expression);
  return [...tables].filter((table) => !ctes.has(table)).sort();
}

/** 'products as p' -> products; 'public.products' stays qualified. */
function tableOfKyselyReference(reference: string): string {
  return reference
    .trim()
    .split(/\s+as\s+/i)[0]!
    .trim();
}

function stringsOf(expression: ts.Expression, file: ParsedFile): string[] {
  if (ts.isArrayLiteralExpression(expression)) return expression.elements.flatMap((element) => stringsOf(element, file));
  const text = staticText(expression, file, 0);
  return text === undefined ? [] : [text];
}

// ------------------------------------------------------------------ wrappers

/**
 * When `expression` (the SQL a site sends) is a parameter of a function around it, or a query
 * config whose text is one, that function forwards SQL: it is a wrapper.
 */
function forwardedParameter(expression: ts.Expression, site: ts.Node): Wrapper | undefined {
  let target = unwrap(expression);
  if (ts.isObjectLiteralExpression(target)) {
    const text = propertyValue(target, 'text');
    if (!text) return undefined;
    target = unwrap(text);
  }
  // executeSql(query.text, query.values): the parameter is a query config.
  if (ts.isPropertyAccessExpression(target) && target.name.text === 'text') target = unwrap(target.expression);
  if (!ts.isIdentifier(target)) return undefined;
  const name = target.text;
  for (let fn = enclosingFunction(site); fn; fn = enclosingFunction(fn)) {
    const index = fn.parameters.findIndex((parameter) => bindsName(parameter.name, name));
    if (index === -1) continue;
    const named = asNamedFunction(fn);
    if (!named) return undefined;
    // A destructured parameter ({ text }) still carries the caller's SQL in that position.
    return { name: named.name, parameterIndex: index, method: isMethodLike(fn) };
  }
  return undefined;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name));
}

// ------------------------------------------------------------------ SQL text

function sqlOf(expression: ts.Expression, file: ParsedFile): Pick<FoundSite, 'sql' | 'sqlSkeleton'> {
  const node = unwrap(expression);
  if (ts.isTaggedTemplateExpression(node)) return { sql: templateWithPlaceholders(node.template) };
  const sql = staticText(expression, file, 0);
  if (sql !== undefined) return { sql };
  const skeleton = skeletonText(expression, file, 0);
  return skeleton && skeleton.trim() ? { sql: undefined, sqlSkeleton: skeleton } : { sql: undefined };
}

/** The string an expression always evaluates to, or undefined when it depends on run time. */
function staticText(expression: ts.Expression, file: ParsedFile, depth: number): string | undefined {
  if (depth > 20) return undefined;
  const node = unwrap(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = staticText(span.expression, file, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = staticText(node.left, file, depth + 1);
    const right = left === undefined ? undefined : staticText(node.right, file, depth + 1);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isIdentifier(node)) {
    const initializer = constantValue(node);
    return initializer ? staticText(initializer, file, depth + 1) : undefined;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const text = propertyValue(node, 'text');
    return text ? staticText(text, file, depth + 1) : undefined;
  }
  if (ts.isNumericLiteral(node)) return node.text;
  const next = followed(node, file);
  return next ? staticText(next, file, depth + 1) : undefined;
}

/**
 * One step through a helper: a call to a function the codebase defines becomes the expression
 * it returns, and `config.text` becomes the query config it reads. undefined when there is none.
 */
function followed(node: ts.Expression, file: ParsedFile): ts.Expression | undefined {
  if (ts.isCallExpression(node)) {
    const name = calleeName(node.expression);
    return name ? (file.returns.get(name) ?? undefined) : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'text') {
    let target: ts.Expression | undefined = unwrap(node.expression);
    for (let step = 0; target && step < 10 && !ts.isObjectLiteralExpression(target); step++) {
      target = ts.isIdentifier(target) ? constantValue(target) : followed(target, file);
      target = target && unwrap(target);
    }
    return target && ts.isObjectLiteralExpression(target) ? target : undefined;
  }
  return undefined;
}

/**
 * What a `const` name in scope was initialised with. Scopes are walked outwards from the use:
 * a parameter or a `let`/`var` of that name in between means the value is not known statically.
 */
function constantValue(identifier: ts.Identifier): ts.Expression | undefined {
  const name = identifier.text;
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (isFunctionLike(scope) && scope.parameters.some((parameter) => bindsName(parameter.name, name))) return undefined;
    if (!(ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)))
      continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!bindsName(declaration.name, name)) continue;
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        return isConst && ts.isIdentifier(declaration.name) ? declaration.initializer : undefined;
      }
    }
  }
  return undefined;
}

/**
 * Stands in for a run-time part of dynamic SQL, so the literal parts around it still parse.
 * The spaces keep it from gluing onto a neighbouring word ('from orders' + where).
 */
export const DYNAMIC_PART = ' __dynamic__ ';

/** Like staticText, but a part known only at run time becomes DYNAMIC_PART. */
function skeletonText(expression: ts.Expression, file: ParsedFile, depth: number): string | undefined {
  if (depth > 20) return undefined;
  const known = staticText(expression, file, depth);
  if (known !== undefined) return known;
  const node = unwrap(expression);
  if (ts.isTemplateExpression(node)) {
    return (
      node.head.text +
      node.templateSpans.map((span) => (skeletonText(span.expression, file, depth + 1) ?? DYNAMIC_PART) + span.literal.text).join('')
    );
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (skeletonText(node.left, file, depth + 1) ?? DYNAMIC_PART) + (skeletonText(node.right, file, depth + 1) ?? DYNAMIC_PART);
  }
  if (ts.isObjectLiteralExpression(node)) {
    const text = propertyValue(node, 'text');
    return text ? skeletonText(text, file, depth + 1) : undefined;
  }
  if (ts.isIdentifier(node)) {
    const initializer = constantValue(node);
    return initializer ? skeletonText(initializer, file, depth + 1) : undefined;
  }
  const next = followed(node, file);
  return next ? skeletonText(next, file, depth + 1) : undefined;
}

/** A template's text as the tag sends it: each ${…} becomes a bind parameter $1, $2, … */
function templateWithPlaceholders(template: ts.TemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  return template.head.text + template.templateSpans.map((span, index) => `$${index + 1}${span.literal.text}`).join('');
}

function propertyValue(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && propertyKey(property.name) === key) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) return property.name;
  }
  return undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    node = node.expression;
  }
  return node;
}

// ------------------------------------------------------------------ functions and names

type FunctionNode = ts.SignatureDeclaration & { body?: ts.ConciseBody | undefined };

function isFunctionLike(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Called on an object: a class or object-literal method, or a function assigned to a property. */
function isMethodLike(fn: FunctionNode): boolean {
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn) || ts.isConstructorDeclaration(fn))
    return true;
  const parent = fn.parent;
  return (
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent) ||
    (ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left))
  );
}

/** Whether a call's form fits how the wrapper is called. */
function callFits(call: ts.CallExpression, wrapper: Wrapper, file: ParsedFile): boolean {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return !wrapper.method;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  if (wrapper.method) return true;
  // module.fn(…) on a namespace import or a required module
  return ts.isIdentifier(callee.expression) && file.imports.has(callee.expression.text);
}

function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) if (isFunctionLike(parent)) return parent;
  return undefined;
}

/** A function's name as callers write it: declaration, method, or the variable/property it is assigned to. */
function asNamedFunction(node: ts.Node): { name: string; node: FunctionNode } | undefined {
  if (!isFunctionLike(node)) return undefined;
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return { name: node.name.text, node };
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const name = propertyKey(node.name);
    return name ? { name, node } : undefined;
  }
  if (ts.isConstructorDeclaration(node)) return { name: 'constructor', node };
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { name: parent.name.text, node };
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    const name = propertyKey(parent.name);
    return name ? { name, node } : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const name = calleeName(parent.left);
    return name ? { name, node } : undefined;
  }
  return undefined;
}

/** The function name a report shows: the nearest named function, with its class when it is a method. */
function displayFunction(node: ts.Node): string {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const named = asNamedFunction(fn);
    if (!named) continue;
    const owner = fn.parent;
    if ((ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name) return `${owner.name.text}.${named.name}`;
    return named.name;
  }
  return '(top level)';
}

function calleeName(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

function returnedExpression(fn: FunctionNode): ts.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return unwrap(body);
  const last = [...body.statements].reverse().find(ts.isReturnStatement);
  return last?.expression ? unwrap(last.expression) : undefined;
}

/** A function that returns an object literal with a `text` property builds a pg query config. */
function returnsQueryConfig(fn: FunctionNode): boolean {
  const returned = returnedExpression(fn);
  return returned !== undefined && ts.isObjectLiteralExpression(returned) && propertyValue(returned, 'text') !== undefined;
}

function describe(node: ts.Node, file: ParsedFile, callee: string): Omit<FoundSite, 'kind' | 'sql'> {
  const { line, character } = file.source.getLineAndCharacterOfPosition(node.getStart(file.source));
  return { file: file.path, line: line + 1, column: character + 1, function: displayFunction(node), callee: callee.replace(/\s+/g, '') };
}

// ------------------------------------------------------------------ files

function parseFile(input: SourceInput, returns: Map<string, ts.Expression | null>): ParsedFile {
  const extension = /\.[^.]+$/.exec(input.path)?.[0] ?? '.ts';
  const source = ts.createSourceFile(input.path, input.text, ts.ScriptTarget.Latest, true, SCRIPT_KINDS[extension] ?? ts.ScriptKind.TS);
  const imports = new Map<string, string>();
  visit(source, (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      const clause = node.importClause;
      if (clause?.name) imports.set(clause.name.text, from);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) imports.set(element.name.text, from);
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, from);
    }
    if (ts.isVariableDeclaration(node)) {
      const required = node.initializer && requiredModule(node.initializer);
      if (required) {
        if (ts.isIdentifier(node.name)) imports.set(node.name.text, required);
        else if (ts.isObjectBindingPattern(node.name))
          for (const element of node.name.elements) if (ts.isIdentifier(element.name)) imports.set(element.name.text, required);
      }
    }
  });
  return { path: input.path, source, imports, returns };
}

function requiredModule(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
    const first = node.arguments[0];
    if (first && ts.isStringLiteral(first)) return first.text;
  }
  if (ts.isPropertyAccessExpression(node)) return requiredModule(node.expression);
  return undefined;
}

function visit(node: ts.Node, callback: (node: ts.Node) => void): void {
  callback(node);
  ts.forEachChild(node, (child) => visit(child, callback));
}
