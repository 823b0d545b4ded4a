import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time on the 2-core CI machine: the reliability scenarios mostly wait (on
    // Slack's 1 message/s, on Redis coming back), so another file runs meanwhile.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
