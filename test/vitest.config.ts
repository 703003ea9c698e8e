import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Each file starts its own redis-server and runs real models; on 2 cores, one file at a time.
      fileParallelism: false,
      testTimeout: 120_000,
    },
  }),
);
