import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:soak`: the long reliability scenarios (full-size R1, 60 s Redis outage, soak). */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/**/*.soak.ts'],
      testTimeout: 60 * 60_000,
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
);
