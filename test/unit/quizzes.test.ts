// The training assessments test what a learner knows, not how answers are usually written:
// enough questions per module, every wrong choice explained, and a right answer that cannot be
// spotted by being the longest or by sitting in the same place.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Quiz } from '../../site/data/quizzes/types.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

const QUIZ_DIR = join(PROJECT_ROOT, 'site/data/quizzes');
const TRAINING_DIR = join(PROJECT_ROOT, 'site/content/docs/training');
const files = readdirSync(QUIZ_DIR)
  .filter((name) => /^(\d{2}|ops-\d)-[a-z0-9-]+\.ts$/.test(name))
  .sort();
const quizzes = await Promise.all(
  files.map(async (file) => ({ file, quiz: ((await import(join(QUIZ_DIR, file))) as { quiz: Quiz }).quiz })),
);
const questions = quizzes.flatMap(({ file, quiz }) =>
  quiz.questions.map((question, index) => ({ where: `${file} question ${index + 1}`, question })),
);

describe('training quizzes', () => {
  test('every developer module has at least six questions and every operations module a short check of at least three', () => {
    const modules = readdirSync(TRAINING_DIR)
      .filter((name) => /^(\d{2}|ops-\d)-.*\.mdx$/.test(name))
      .map((name) => name.replace(/\.mdx$/, ''));
    expect(modules.length).toBeGreaterThanOrEqual(15);
    for (const module of modules) {
      const entry = quizzes.find(({ file }) => file === `${module}.ts`);
      expect(entry, `site/data/quizzes/${module}.ts`).toBeDefined();
      expect(entry!.quiz.questions.length, module).toBeGreaterThanOrEqual(module.startsWith('ops-') ? 3 : 6);
      const page = readFileSync(join(TRAINING_DIR, `${module}.mdx`), 'utf8');
      expect(page, `${module}.mdx renders its quiz`).toContain(`data/quizzes/${module}.ts`);
      expect(page).toMatch(/<Quiz quiz=\{quiz\} \/>/);
    }
  });

  test('each question has one right answer, and every wrong choice says why it is wrong', () => {
    for (const { where, question } of questions) {
      expect(question.choices.filter((choice) => choice.correct).length, where).toBe(1);
      expect(question.choices.length, where).toBeGreaterThanOrEqual(3);
      for (const choice of question.choices.filter((candidate) => !candidate.correct)) {
        expect(choice.why?.trim().length ?? 0, `${where}: "${choice.text}" needs a why`).toBeGreaterThan(20);
      }
      expect(question.explanation.length, where).toBeGreaterThan(40);
    }
  });

  // Writers tend to make the right answer the most careful, so the longest; shortening it
  // overshoots into the shortest. Either extreme is a tell.
  for (const extreme of ['longest', 'shortest'] as const) {
    test(`the right answer is the ${extreme} choice in at most a third of the questions`, () => {
      const tells = questions.filter(({ question }) => {
        const right = question.choices.find((choice) => choice.correct)!.text.length;
        return question.choices.every(
          (choice) => choice.correct || (extreme === 'longest' ? choice.text.length < right : choice.text.length > right),
        );
      });
      expect(tells.length, `${extreme} in: ${tells.map(({ where }) => where).join('; ')}`).toBeLessThanOrEqual(questions.length / 3);
    });
  }

  test('no position holds the right answer in more than half of the questions', () => {
    const positions = new Map<number, number>();
    for (const { question } of questions) {
      const position = question.choices.findIndex((choice) => choice.correct);
      positions.set(position, (positions.get(position) ?? 0) + 1);
    }
    for (const [position, count] of positions)
      expect(count, `position ${position + 1}: ${count} of ${questions.length}`).toBeLessThanOrEqual(questions.length / 2);
  });
});
