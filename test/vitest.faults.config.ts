import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

/** `npm run test:faults`: the fault scenarios, one file at a time, each on its own Redis. */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['faults/**/*.faults.ts'],
      fileParallelism: false,
      testTimeout: 240_000,
      hookTimeout: 120_000,
      globalSetup: ['faults/global.setup.ts'],
    },
  }),
);
