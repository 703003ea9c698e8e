import { randomUUID } from 'node:crypto';
import type { Config, EnqueueRequest, PreprocessInput } from '@podpreview/shared';
import { jobOptions, latestRunKey, type StageQueues } from './queues.ts';
import { parseStageInput } from './runtime/validate.ts';
import { runStatus } from './status.ts';

export interface EnqueueReceipt {
  runId: string;
  episodeId: string;
  /** True when the episode was already in flight and this request joined that run. */
  joined: boolean;
}

/**
 * Starts a run for one episode. A second request for an episode whose run is still in flight
 * joins that run instead of starting another (use `force` to start anyway); finished episodes
 * are checked for duplicate content by preprocess, once the audio is decoded.
 */
export async function enqueueEpisode(queues: StageQueues, config: Config, req: EnqueueRequest, nowMs = Date.now()): Promise<EnqueueReceipt> {
  const redis = await queues.preprocess.client;
  const key = latestRunKey(config.queuePrefix);
  if (!req.force) {
    const current = await redis.hget(key, req.id);
    if (current) {
      const status = await runStatus(queues, current);
      if (status.state === 'queued' || status.state === 'running') return { runId: current, episodeId: req.id, joined: true };
    }
  }
  const runId = randomUUID();
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
  await queues.preprocess.add('preprocess', payload, jobOptions(config, runId, req.priority));
  await redis.hset(key, { [req.id]: runId });
  return { runId, episodeId: req.id, joined: false };
}

export async function latestRunFor(queues: StageQueues, config: Config, episodeId: string): Promise<string | undefined> {
  const redis = await queues.preprocess.client;
  return (await redis.hget(latestRunKey(config.queuePrefix), episodeId)) ?? undefined;
}
