import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { queueKeyPrefix } from './key-prefix.ts';
import type { RedisConnection } from './redis.ts';
import type { Config } from '@podpreview/shared';
import { CALLBACK_QUEUE } from './redis.keys.ts';
import { queueTelemetry } from './telemetry.ts';
import type { CallbackTarget } from './run-record.ts';

/**
 * Completion callbacks travel on their own queue: a slow or dead receiver retries there with
 * backoff and never holds a stage job. The job names the run and the target only; the body is
 * built when it is delivered, from the run's record (the same view the API answers with).
 */
export const CallbackJob = z.object({
  runId: z.string().min(8).max(64),
  episodeId: z.string(),
  url: z.string().url(),
  credential: z.string(),
});
export type CallbackJob = z.infer<typeof CallbackJob>;

export function createCallbackQueue(redis: RedisConnection, config: Pick<Config, 'queuePrefix'> & Partial<Pick<Config, 'tracing'>>): Queue {
  const queue = new Queue(CALLBACK_QUEUE, {
    connection: redis,
    prefix: queueKeyPrefix(config.queuePrefix, CALLBACK_QUEUE, redis.isCluster),
    telemetry: queueTelemetry(config),
  });
  queue.on('error', () => {});
  return queue;
}

/** One delivery job per target, named by run and target: the same target told twice of one run is told once. */
export async function enqueueCallbacks(
  queue: Queue,
  config: Pick<Config, 'callbacks' | 'keepCompletedJobs' | 'keepFailedJobs'>,
  run: { runId: string; episodeId: string },
  targets: readonly CallbackTarget[],
): Promise<void> {
  await Promise.all(
    targets.map((t) =>
      queue.add('callback', { runId: run.runId, episodeId: run.episodeId, url: t.url, credential: t.credential } satisfies CallbackJob, {
        jobId: `${run.runId}.${createHash('sha256').update(`${t.credential}\n${t.url}`).digest('hex').slice(0, 16)}`,
        attempts: config.callbacks.attempts,
        backoff: { type: 'exponential', delay: config.callbacks.backoffMs },
        removeOnComplete: { count: config.keepCompletedJobs },
        removeOnFail: { count: config.keepFailedJobs },
      }),
    ),
  );
}
