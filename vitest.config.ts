import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that measure how fast the bot answers (RELIABILITY I1: acknowledgements p99 < 1 s): they
 * run first, one at a time with nothing else beside them, so another file's CPU does not count.
 * (Group 1, not 0: vitest moves single-worker projects of group 0 to the very end of the run.)
 */
const ALONE = ['test/adapters/discord-interactions.test.ts', 'test/adapters/slack-interactions.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent' },
    projects: [
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
      // Then two files at a time on the 2-core CI machine: the reliability scenarios mostly wait
      // (on Slack's 1 message/s, on Redis coming back), so another file runs meanwhile.
      { extends: true, test: { name: 'together', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE], maxWorkers: 2, sequence: { groupOrder: 2 } } },
    ],
  },
});
