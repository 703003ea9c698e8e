import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The render test runs the real synthesizers and ffmpeg (a few seconds on 2 cores).
    testTimeout: 60_000,
  },
});
