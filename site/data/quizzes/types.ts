// The shape of a module's assessment. Prose only in `prompt`, `text` and `explanation`:
// any code a question quotes is a region of a tested file, rendered by Quiz.astro.
export interface SnippetRef {
  /** Under snippets/, as for <Snippet file=...>. */
  file: string;
  region: string;
}

interface Choice {
  text: string;
  correct?: true;
  /** For a wrong choice (required): why it is wrong, shown to a learner who picked it. */
  why?: string;
  /** Code this answer quotes, from a tested file. */
  code?: SnippetRef;
}

interface Question {
  prompt: string;
  /** Code the question is about, shown under the prompt. */
  code?: SnippetRef;
  choices: Choice[];
  /** Shown once the learner has answered: why the right answer is right. Each wrong choice says
   *  why it is wrong in its own `why`. Keep the right answer's length and position unpredictable
   *  (test/unit/quizzes.test.ts checks both across all modules). */
  explanation: string;
}

export interface Quiz {
  /** Used to make the form field names unique on the page. */
  id: string;
  questions: Question[];
}
