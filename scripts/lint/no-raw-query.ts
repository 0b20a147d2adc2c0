// ESLint rule migration/no-raw-query: the guardrail that keeps raw SQL from growing back.
//
// It reports, in the files the config applies it to (the Storefront app and service):
//   x.query(…)            any pg-style call with an argument (pool, client, this.db…)
//   sql.raw(…), sql.lit(…) raw text spliced into a Kysely query (`sql` imported from kysely)
// unless the call sits in an allow-listed file (or function in that file), each with a reason,
// read from the inventory's config so the inventory and the guardrail agree on what is allowed.
// The legacy layer is excluded by the config (eslint.config.js), not by the rule.
// Kysely's own sql`…` template binds its values and is not reported.
import { relative, sep } from 'node:path';
import type { Rule } from 'eslint';
import type * as ESTree from 'estree';

interface AllowEntry {
  file: string;
  function?: string;
  reason: string;
}

interface Options {
  allow?: AllowEntry[];
  /** Where the message sends the reader: the guide's page on converting a query. */
  docsUrl?: string;
}

export const DEFAULT_DOCS_URL = 'https://handbook.storefront.example/guide/converting-queries/';

export const noRawQuery: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Forbid raw SQL calls (pg .query, Kysely sql.raw/sql.lit) outside the legacy layer and the allow-list',
      url: DEFAULT_DOCS_URL,
    },
    schema: [
      {
        type: 'object',
        properties: {
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { file: { type: 'string' }, function: { type: 'string' }, reason: { type: 'string', minLength: 1 } },
              required: ['file', 'reason'],
              additionalProperties: false,
            },
          },
          docsUrl: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      rawQuery:
        'Raw SQL ({{callee}}) outside the legacy layer. Write it with Kysely: {{docsUrl}} . If it must stay raw, add an "allow" entry with a reason to scripts/inventory/storefront.config.json.',
    },
  },

  create(context) {
    const options = (context.options[0] ?? {}) as Options;
    const docsUrl = options.docsUrl ?? DEFAULT_DOCS_URL;
    const file = relative(context.cwd, context.filename).split(sep).join('/');
    const allowInFile = (options.allow ?? []).filter(
      (entry) => file === entry.file.replace(/\/+$/, '') || file.startsWith(`${entry.file.replace(/\/+$/, '')}/`),
    );
    const kyselySql = new Set<string>();

    function allowed(node: ESTree.Node & Rule.NodeParentExtension): boolean {
      if (allowInFile.some((entry) => entry.function === undefined)) return true;
      const name = enclosingFunctionName(node);
      return allowInFile.some((entry) => entry.function === name);
    }

    function report(node: ESTree.CallExpression & Rule.NodeParentExtension, callee: string) {
      if (!allowed(node)) context.report({ node, messageId: 'rawQuery', data: { callee, docsUrl } });
    }

    return {
      ImportDeclaration(node) {
        if (typeof node.source.value !== 'string' || !/^kysely(\/|$)/.test(node.source.value)) return;
        for (const specifier of node.specifiers) {
          if (specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier' && specifier.imported.name === 'sql')
            kyselySql.add(specifier.local.name);
        }
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || node.arguments.length === 0)
          return;
        const method = callee.property.name;
        if (method === 'query') {
          report(node, `${context.sourceCode.getText(callee.object)}.query`);
        } else if ((method === 'raw' || method === 'lit') && callee.object.type === 'Identifier' && kyselySql.has(callee.object.name)) {
          report(node, `${callee.object.name}.${method}`);
        }
      },
    };
  },
};

/** The same name the inventory gives a site's function: declaration, method (Class.method), or the variable or property it is assigned to. */
type WithParent = ESTree.Node & { parent?: WithParent | null };

function enclosingFunctionName(node: WithParent): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'FunctionDeclaration' && current.type !== 'FunctionExpression' && current.type !== 'ArrowFunctionExpression')
      continue;
    if (current.type !== 'ArrowFunctionExpression' && current.id) return current.id.name;
    const parent = current.parent as WithParent;
    if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
    if (
      (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') &&
      !parent.computed &&
      parent.key.type === 'Identifier'
    ) {
      const owner = parent.type === 'Property' ? undefined : (parent.parent as WithParent).parent;
      return owner && (owner.type === 'ClassDeclaration' || owner.type === 'ClassExpression') && owner.id
        ? `${owner.id.name}.${parent.key.name}`
        : parent.key.name;
    }
  }
  return undefined;
}
