// The shape of a module's assessment. Prose only in `prompt`, `text` and `explanation`:
// any code a question quotes is a region of a tested file, rendered by Quiz.astro.
export interface SnippetRef {
  /** Under snippets/, as for <Snippet file=...>. */
  file: string;
  region: string;
}

export interface Choice {
  text: string;
  correct?: true;
  /** Code this answer quotes, from a tested file. */
  code?: SnippetRef;
}

export interface Question {
  prompt: string;
  /** Code the question is about, shown under the prompt. */
  code?: SnippetRef;
  choices: Choice[];
  /** Shown once the learner has answered: why the right answer is right. */
  explanation: string;
}

export interface Quiz {
  /** Used to make the form field names unique on the page. */
  id: string;
  questions: Question[];
}
