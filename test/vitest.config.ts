import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each file starts its own redis-server and runs real models; on 2 cores, one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
