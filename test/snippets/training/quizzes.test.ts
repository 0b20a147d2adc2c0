// The assessment data the module pages render: every question is answerable, and any code
// it shows is a region of a tested file, never text typed into the quiz.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractRegion, resolveSnippetPath } from '../../../site/lib/snippet-regions.ts';
import type { Quiz } from '../../../site/data/quizzes/types.ts';
import { PROJECT_ROOT } from '../../../lib/project-root.ts';

const folder = join(PROJECT_ROOT, 'site/data/quizzes');
const files = readdirSync(folder)
  .filter((name) => /^\d\d-.*\.ts$/.test(name))
  .sort();
const CODE_LIKE = [/`/, /=>/, /\$\d/, /;\s*$/, /\bselect\b[^.]*\bfrom\b/i, /\b(insert into|update \w+ set|delete from)\b/i, /\(\s*\)\s*\{/];

describe('training quizzes', () => {
  test('there is one quiz per developer module', () => {
    expect(files).toHaveLength(10);
  });

  for (const file of files) {
    test(`${file}: every question has one correct choice, an explanation, and only prose outside its snippets`, async () => {
      const { quiz } = (await import(join(folder, file))) as { quiz: Quiz };
      expect(quiz.questions.length).toBeGreaterThanOrEqual(3);
      for (const question of quiz.questions) {
        expect(question.choices.filter((c) => c.correct)).toHaveLength(1);
        expect(question.choices.length).toBeGreaterThanOrEqual(2);
        expect(question.explanation.length).toBeGreaterThan(40);
        const prose = [question.prompt, question.explanation, ...question.choices.map((c) => c.text)];
        for (const text of prose)
          for (const pattern of CODE_LIKE) expect(text, `"${text}" looks like code (${pattern})`).not.toMatch(pattern);
      }
    });

    test(`${file}: every snippet a question or answer quotes exists`, async () => {
      const { quiz } = (await import(join(folder, file))) as { quiz: Quiz };
      const refs = quiz.questions.flatMap((q) => [q.code, ...q.choices.map((c) => c.code)]).filter((ref) => ref !== undefined);
      for (const ref of refs) {
        const source = readFileSync(resolveSnippetPath(ref.file), 'utf8');
        expect(extractRegion(source, ref.region), `${ref.file} · ${ref.region}`).toBeTruthy();
      }
    });
  }
});
