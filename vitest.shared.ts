import { defineConfig } from 'vitest/config';
import { LedgerReporter } from './scripts/test-ledger.ts';

/**
 * Defaults for every package's tests. They run real models, ffmpeg and redis-server, and must
 * pass on a 2-core machine whose cores are both busy with something else: vitest's 5 s default
 * measures the neighbours, not our code. Speed is measured in bench/, not here.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new LedgerReporter()],
  },
});
