import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm09',
  questions: [
    {
      prompt: 'What is wrong with this cache?',
      code: { file: 'training/09-caching/compare.ts', region: 'legacy' },
      choices: [
        { text: 'Nothing invalidates an entry, so a rename stays invisible until the process restarts.', correct: true },
        { text: 'A Map cannot hold numbers as keys.' },
        { text: 'It sends a query on every call.' },
      ],
      explanation:
        'The rename writes the database and leaves the Map untouched; entries never expire either. The test for this module shows the legacy cache serving the old name right after a rename.',
    },
    {
      prompt: 'Why does updatePrice delete the entry after the UPDATE rather than before it?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'Deleting first would let a concurrent get reload the old row and cache it again before the write lands.', correct: true },
        { text: 'Map.delete is slow, so it should run last.' },
        { text: 'The order does not matter.' },
      ],
      explanation:
        'Between an early delete and the commit, another request can miss, read the old price and store it for a full TTL. Deleting after the write narrows that window.',
    },
    {
      prompt: 'Another service changes prices directly in the database. What bounds how long this cache serves the old price?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'Nothing: it serves the old price forever.' },
        { text: 'The time-to-live: each entry is reloaded once ttlMs has passed.', correct: true },
        { text: 'PostgreSQL notifies the cache of the change.' },
      ],
      explanation:
        'Invalidation on write only covers writes that go through this cache. For every other writer, the TTL is the upper bound on staleness, so choose it from how stale the page may be.',
    },
  ],
};
