// Quizzes in Chromium: every question on every page with a quiz can be answered with the
// keyboard alone, wrong then right, and the feedback explains the answer in a live region.
import { describe, expect, test } from 'vitest';
import { hasChromium, pages, testChromiumIsAvailable, useSitePage } from './chromium-site.ts';

if (!hasChromium) testChromiumIsAvailable();

describe.skipIf(!hasChromium)('quizzes', () => {
  const site = useSitePage();
  const quizPages = pages.filter((page) => /\sdata-quiz[\s=>]/.test(page.html));

  // Contract with site/components/Quiz.astro: one form[data-quiz] per question, radio choices,
  // a submit button, feedback in [data-feedback] (a live region), data-correct = the right index.
  for (const { path } of quizPages) {
    test(`on ${path}, every quiz question can be answered with the keyboard alone, wrong then right, and explains why`, async () => {
      const { page, problems, open } = site;
      await open(path);
      const forms = page.locator('form[data-quiz]');
      const count = await forms.count();
      expect(count).toBeGreaterThan(0);
      const focused = () =>
        page.evaluate(() => {
          const element = document.activeElement as HTMLInputElement | null;
          return {
            tag: element?.tagName ?? '',
            type: element?.type ?? '',
            value: element?.value ?? '',
            checked: Boolean(element?.checked),
            submit: Boolean(element?.classList.contains('quiz-submit')),
          };
        });
      /** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element; false after 30 presses. */
      const tabUntil = async (wanted: (state: Awaited<ReturnType<typeof focused>>) => boolean, key = 'Tab') => {
        for (let press = 0; press < 30; press += 1) {
          await page.keyboard.press(key);
          if (wanted(await focused())) return true;
        }
        return false;
      };
      for (let index = 0; index < count; index += 1) {
        const form = forms.nth(index);
        const where = `question ${index + 1} on ${path}`;
        const correct = Number(await form.getAttribute('data-correct'));
        const choices = await form.locator('input[type=radio]').count();
        const explanation = (
          await form
            .locator('template[data-explanation]')
            .evaluate((template) => (template as HTMLTemplateElement).content.textContent ?? '')
        ).trim();
        expect(choices, `${where} has choices`).toBeGreaterThan(1);
        expect(explanation.length, `${where} has an explanation`).toBeGreaterThan(20);
        const wrong = correct === 0 ? 1 : 0;

        // Keyboard only from here: start just before the form, as a reader tabbing down the page would.
        await form.evaluate((element) => {
          const start = document.createElement('button');
          start.dataset.testStart = '';
          start.textContent = 'start';
          element.before(start);
          start.focus();
        });
        for (const [choice, verdict] of [
          [wrong, 'incorrect'],
          [correct, 'correct'],
        ] as const) {
          const inGroup = await tabUntil((state) => state.type === 'radio', verdict === 'incorrect' ? 'Tab' : 'Shift+Tab');
          expect(inGroup, `${where}: Tab reaches the choices`).toBe(true);
          // Arrow keys move through a radio group and select as they go.
          await page.keyboard.press('Space');
          for (let moves = 0; moves < choices && (await focused()).value !== String(choice); moves += 1)
            await page.keyboard.press('ArrowDown');
          expect((await focused()).value, `${where}: arrow keys reach choice ${choice + 1}`).toBe(String(choice));
          expect(await form.locator(`input[type=radio][value="${choice}"]`).isChecked()).toBe(true);
          expect(await tabUntil((state) => state.submit), `${where}: Tab reaches "Check answer"`).toBe(true);
          await page.keyboard.press('Enter');
          const feedback = form.locator('[data-feedback]');
          await expect
            .poll(() => feedback.locator('[data-result]').getAttribute('data-result'), {
              message: `${where}: verdict for choice ${choice + 1}`,
            })
            .toBe(verdict);
          expect(await feedback.innerText(), `${where}: the feedback explains the answer`).toContain(explanation.slice(0, 40));
          expect(await feedback.getAttribute('aria-live'), `${where}: the verdict is announced`).toBe('polite');
        }
        await page.locator('[data-test-start]').evaluate((start) => start.remove());
      }
      expect(problems).toEqual([]);
    });
  }
});
