import { type Config, EnqueueRequest, type ResultsSink } from '@podpreview/shared';
import { enqueueEpisode } from './enqueue.ts';
import type { StageQueues } from './queues.ts';

export interface ReplayOptions {
  /** Error code of the failures to run again (`stage_timeout`, `input_not_found`, …). */
  reason: string;
  /** Failures that ended at or after this time. */
  sinceMs: number;
  /** At most this many of the newest finished runs are looked at. */
  limit: number;
}

export interface ReplayOutcome {
  episodeId: string;
  failedRunId: string;
  /** The new run (or the run in flight it joined). */
  replayed?: { runId: string; joined: boolean };
  /** Why the episode was left alone. */
  skipped?: string;
}

/**
 * Runs again the episodes whose newest run failed with `reason` since `sinceMs`: the failure
 * rows come from the results table, the inputs from each failed run's record in Redis (kept for
 * PODPREVIEW_RUN_STATE_TTL_MS). An episode that has run since in this variant (and maybe
 * succeeded) is left alone, as is one whose record has expired (its input is no longer known
 * here). A fallback's answer meanwhile does not count: production's own run would supersede it.
 */
export async function replayFailures(queues: StageQueues, config: Config, results: ResultsSink, o: ReplayOptions): Promise<ReplayOutcome[]> {
  // This variant's failures only: a shared table also holds the fallback's (and maybe staging's) rows.
  const failures = (await results.finishedSince(o.sinceMs, o.limit)).filter(
    (r) => r.status === 'failed' && r.errorCode === o.reason && r.variant === queues.variant,
  );
  const newestFailure = new Map<string, string>();
  for (const r of failures) if (!newestFailure.has(r.episodeId)) newestFailure.set(r.episodeId, r.runId); // newest first
  const outcomes: ReplayOutcome[] = [];
  for (const [episodeId, failedRunId] of newestFailure) {
    const latest = await results.latestForEpisode(episodeId, [queues.variant]);
    if (latest && latest.runId !== failedRunId) {
      outcomes.push({ episodeId, failedRunId, skipped: `ran again since (${latest.status})` });
      continue;
    }
    const record = await queues.runs.read(failedRunId);
    const input = record?.request;
    if (!input) {
      outcomes.push({ episodeId, failedRunId, skipped: 'its run record has expired: the input is not known here, submit it again' });
      continue;
    }
    const req = EnqueueRequest.parse({ id: episodeId, ...input });
    const receipt = await enqueueEpisode(queues, config, req, Date.now(), record.owner ? { owner: record.owner } : {});
    outcomes.push({ episodeId, failedRunId, replayed: { runId: receipt.runId, joined: receipt.joined } });
  }
  return outcomes;
}
