import { z } from 'zod';
import { type EnvOf, int, setting } from './setting.ts';

/** How long runs are remembered in Redis, how many are indexed, and how long a caller waits for them. */
export const runSettings = {
  PODPREVIEW_RUN_STATE_TTL_MS: setting(
    int(7 * 86_400_000, 60_000),
    "lifetime of each run's state and each episode's newest-run key in Redis (7 days); older runs are answered from the results table",
  ),
  PODPREVIEW_RUN_INDEX_MAX: setting(
    int(1_000_000, 100),
    'runs the listing index in Redis keeps (oldest dropped first; entries also leave with `PODPREVIEW_RUN_STATE_TTL_MS`)',
  ),
  PODPREVIEW_RUNS_PER_EPISODE_MAX: setting(int(100, 1), 'runs kept per episode for `GET /v1/episodes/:id/runs` (older ones: the results table)'),
  PODPREVIEW_ENQUEUE_TIMEOUT_SEC: setting(
    z.coerce.number().positive().default(1800),
    'how long `podpreview enqueue --wait` and `retry --wait` wait for their runs (`--timeout`); past it they exit 1 and the runs go on',
  ),
};

export interface RunConfig {
  /** Lifetime of per-run and per-episode Redis keys (run state, newest run of an episode). */
  runStateTtlMs: number;
  /** Bounds on the run index behind the listings (oldest dropped first; entries also expire with run state). */
  runIndexMax: number;
  runsPerEpisodeMax: number;
  /** How long `podpreview enqueue --wait` (and `retry --wait`) waits for its runs before giving up (exit 1). */
  enqueueTimeoutSec: number;
}

export function runConfig(e: EnvOf<typeof runSettings>): RunConfig {
  return {
    runStateTtlMs: e.PODPREVIEW_RUN_STATE_TTL_MS,
    runIndexMax: e.PODPREVIEW_RUN_INDEX_MAX,
    runsPerEpisodeMax: e.PODPREVIEW_RUNS_PER_EPISODE_MAX,
    enqueueTimeoutSec: e.PODPREVIEW_ENQUEUE_TIMEOUT_SEC,
  };
}
