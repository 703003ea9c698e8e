import { randomUUID } from 'node:crypto';
import { type Config, type EnqueueRequest, parseStageInput, type PreprocessInput } from '@podpreview/shared';
import { claimEpisode, releaseClaim, replaceClaim, takeClaim } from './inflight.ts';
import { jobOptions, type StageQueues } from './queues.ts';
import { latestRunKey } from './redis.keys.ts';
import { isTerminal, runStatus } from './status.ts';

export interface EnqueueReceipt {
  runId: string;
  episodeId: string;
  /** True when the episode was already in flight and this request joined that run. */
  joined: boolean;
}

/**
 * Starts a run for one episode. A request for an episode whose run is still in flight joins
 * that run instead of starting another, even when the requests arrive at the same instant
 * (`force` starts anyway); finished episodes are checked for duplicate content by preprocess,
 * once the audio is decoded.
 */
export async function enqueueEpisode(queues: StageQueues, config: Config, req: EnqueueRequest, nowMs = Date.now()): Promise<EnqueueReceipt> {
  const redis = queues.redis;
  const prefix = config.queuePrefix;
  const runId = randomUUID();
  if (req.force) {
    await takeClaim(redis, prefix, req.id, runId);
  } else {
    for (;;) {
      const claim = await claimEpisode(redis, prefix, req.id, runId);
      if (claim.won) break;
      // A holder whose jobs have all ended lost its release (crash); anything else is in flight,
      // including a run so fresh that its first job is not added yet ("unknown").
      if (!isTerminal((await runStatus(queues, claim.holder)).state)) return { runId: claim.holder, episodeId: req.id, joined: true };
      if (await replaceClaim(redis, prefix, req.id, claim.holder, runId)) break;
    }
  }
  const payload: PreprocessInput = parseStageInput('preprocess', {
    v: 1,
    runId,
    episodeId: req.id,
    enqueuedAtMs: nowMs,
    priority: req.priority,
    force: req.force,
    timingsMs: {},
    audioUri: req.audioUri,
    ...(req.transcriptUri ? { transcriptUri: req.transcriptUri } : {}),
  });
  try {
    await redis.hset(latestRunKey(prefix), { [req.id]: runId });
    await queues.preprocess.add('preprocess', payload, jobOptions(config, runId, req.priority));
  } catch (err) {
    // Nothing was queued: let the next request start a run instead of joining this one.
    await releaseClaim(redis, prefix, req.id, runId).catch(() => {});
    throw err;
  }
  return { runId, episodeId: req.id, joined: false };
}

export async function latestRunFor(queues: StageQueues, config: Config, episodeId: string): Promise<string | undefined> {
  return (await queues.redis.hget(latestRunKey(config.queuePrefix), episodeId)) ?? undefined;
}
