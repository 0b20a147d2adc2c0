// Compiles snippets/troubleshooting/type-errors.ts with its `@ts-expect-error`
// directives removed and records what the compiler says on each marked line, so the
// page quotes real messages. (tsc itself already fails if a marked line stops failing.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { evidencePath } from '../../support/evidence.ts';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';

const FILE = join(PROJECT_ROOT, 'snippets/troubleshooting/type-errors.ts');
const DIRECTIVE = /\/\/ @ts-expect-error (.*)$/;

function diagnoseWithoutDirectives() {
  const original = readFileSync(FILE, 'utf8').split('\n');
  const expected: { line: number; why: string; region: string }[] = [];
  let region = '';
  const stripped = original.map((text, index) => {
    region = /#region (\S+)/.exec(text)?.[1] ?? region;
    const match = DIRECTIVE.exec(text);
    if (!match) return text;
    expected.push({ line: index + 2, why: match[1]!, region }); // the directive covers the next line
    return ''; // keep line numbers stable
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PROJECT_ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === FILE ? stripped.join('\n') : readFile(name));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) =>
    name === FILE ? ts.createSourceFile(name, stripped.join('\n'), language, true) : getSourceFile(name, language, onError, create);
  const program = ts.createProgram([FILE], config.options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(FILE));
  return { expected, diagnostics };
}

describe('the type errors the Troubleshooting page shows', () => {
  test('each marked line fails with the message recorded for it, and nothing else fails', async () => {
    const { expected, diagnostics } = diagnoseWithoutDirectives();
    const byLine = new Map<number, string[]>();
    for (const d of diagnostics) {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      byLine.set(line + 1, [...(byLine.get(line + 1) ?? []), `TS${d.code}: ${message}`]);
    }
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual(expected.map((e) => e.line));
    for (const { line, region } of expected) {
      const messages = byLine.get(line)!;
      // Long messages spell out whole types; their start and end carry the meaning.
      const shown = messages.map((m) =>
        m
          .split('\n')
          .slice(0, 3)
          .map((l) => (l.length > 220 ? `${l.slice(0, 140)} … ${l.slice(-70)}` : l))
          .join('\n'),
      );
      await expect(`${shown.join('\n')}\n`).toMatchFileSnapshot(evidencePath('troubleshooting', `type-error.${region}.txt`));
    }
  });
});
