import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:soak`: the long reliability scenarios (full-size R1, 60 s Redis outage, soak).
 * Not mergeConfig: it concatenates arrays, so `include` would keep the whole fast suite too; and
 * without the fast suite's projects, which name their own files.
 */
const { projects: _fastSuiteProjects, ...fast } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...fast,
    include: ['test/**/*.soak.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
