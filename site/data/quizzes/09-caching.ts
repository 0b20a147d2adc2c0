import type { Quiz } from './types.ts';

export const quiz: Quiz = {
  id: 'm09',
  questions: [
    {
      prompt: 'What is wrong with this cache?',
      code: { file: 'training/09-caching/compare.ts', region: 'legacy' },
      choices: [
        { text: 'A Map cannot use numbers as keys, so every lookup misses and queries again.', why: 'A Map accepts any key, numbers included; lookups do hit.' },
        { text: 'Nothing ever invalidates or expires an entry, so a rename stays invisible.', correct: true },
        { text: 'It sends a query to the database on every call, so it saves nothing.', why: 'It queries only on a miss; the problem is that hits can be stale forever.' },
      ],
      explanation:
        'The rename writes the database and leaves the Map untouched; entries never expire either, so the old name stays until the process restarts. The test for this module shows the legacy cache serving the old name right after a rename.',
    },
    {
      prompt: 'Why does updatePrice delete the entry after the UPDATE rather than before it?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'Map.delete is slow, so it is better to run it after the database work.', why: 'Map.delete is instant; the order matters for correctness, not speed.' },
        { text: 'The order makes no difference, as long as both happen in the same function.', why: 'It does: between an early delete and the write, another request can cache the old price again.' },
        { text: 'Deleting first lets a concurrent get cache the old row again.', correct: true },
      ],
      explanation:
        'Between an early delete and the commit, another request can miss, read the old price and store it for a full TTL. Deleting after the write narrows that window.',
    },
    {
      prompt: 'Another service changes prices directly in the database. What bounds how long this cache serves the old price?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'The time-to-live: each entry is read from the database again once ttlMs has passed.', correct: true },
        { text: 'Nothing: the cache serves the old price until the process restarts.', why: 'Each entry has an expiry, so it is reloaded once ttlMs has passed.' },
        { text: 'PostgreSQL notifies the cache whenever a cached row changes.', why: 'Nothing here listens for notifications; the cache only learns of writes made through it.' },
      ],
      explanation:
        'Invalidation on write only covers writes that go through this cache. For every other writer, the TTL is the upper bound on staleness, so choose it from how stale the page may be.',
    },
    {
      prompt: 'How do the exercise checks test expiry without waiting for the TTL?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'They sleep for the whole TTL, with a TTL of a few milliseconds.', why: 'Sleeping is what the testing module lists as an anti-pattern: slow and flaky.' },
        { text: 'They inject a now() function into the cache and move it forward by hand.', correct: true },
        { text: 'They replace the database with a fake that reports an expired row.', why: 'Expiry is decided by the cache\'s clock, not by the database, and this project never fakes the database.' },
      ],
      explanation: 'The cache reads time through the injected now, so a test can jump past the TTL instantly and deterministically.',
    },
    {
      prompt: 'get() caches a product that does not exist (undefined). Why can that be useful?',
      code: { file: 'training/09-caching/solution.ts', region: 'product-cache' },
      choices: [
        { text: 'It is a bug: undefined entries fill the Map and are never read again.', why: 'They are read: a later get finds the entry and returns undefined without a query until it expires.' },
        { text: 'Repeated lookups of a missing id stop hitting the database.', correct: true },
        { text: 'It makes PostgreSQL create the missing product on the next call.', why: 'A read never creates rows; the cache only remembers the answer.' },
      ],
      explanation: 'Caching the miss (for the same TTL) protects the database from repeated requests for ids that do not exist, for example from a crawler.',
    },
    {
      prompt: 'Where does the Storefront\'s data-layer switch cache the data_layer flag, and why?',
      choices: [
        { text: 'Nowhere; it reads the flag from the database on every single call.', why: 'It does cache the flag, for at most flagCacheMs, so that not every call pays a query.' },
        { text: 'In memory forever, so flipping the flag requires a restart to take effect.', why: 'The point of the flag is to switch without a deploy or restart; the cache expires.' },
        { text: 'In memory for at most flagCacheMs, so a flip applies without a restart.', correct: true },
      ],
      explanation: 'snippets/app/data-layer-switch.ts re-reads the flag at most every flagCacheMs: cheap on each call, and a runbook that flips the flag sees it take effect within that time.',
    },
  ],
};
