import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'ops4',
  questions: [
    {
      prompt: 'Customers report that orders fail. What comes first?',
      choices: [
        { text: 'Fix the problem; declaring an incident can wait until the cause is known', why: 'Without a declared incident and a commander, nobody owns decisions or updates while people fix.' },
        { text: 'Write the post-mortem timeline from memory while the details are fresh', why: 'The timeline is kept during the incident; the post-mortem comes after.' },
        { text: 'Declare an incident, set its severity and name an incident commander', correct: true },
      ],
      explanation: 'Declaring early gives the response an owner and a severity, which sets who is paged and how often updates go out.',
    },
    {
      prompt: 'Errors started right after a release that included a migration. When is rolling back the better choice?',
      choices: [
        { text: 'When a fix forward would take longer than the known-good path', correct: true },
        { text: 'Never: rolling back a migration always loses data', why: 'Whether a rollback loses anything depends on the migration; rollback.ts --dry-run shows what it would do before you decide.' },
        { text: 'Only after the root cause is known, so the post-mortem is complete', why: 'Waiting for the root cause prolongs the outage; the decision is about time to recovery.' },
      ],
      explanation: 'The commander weighs time to a fix against the known-good path and writes the decision and its reason in the timeline.',
    },
    {
      prompt: 'Where do the words for the first status update come from?',
      choices: [
        { text: 'From whoever is free to write them, so nothing waits on the templates', why: 'Ad-hoc wording under stress leaks guesses; the templates exist so the first update goes out fast and safe.' },
        { text: 'The communication templates for the incident\'s severity', correct: true },
        { text: 'From the alert\'s description, copied into the status page as it is', why: 'Alert descriptions are written for engineers; customers need the template\'s wording.' },
      ],
      explanation: 'Each severity has its channels and templates on the communication templates page, including when the next update is due.',
    },
  ],
};
