import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { STAGES, type Config, type StageName } from '@podpreview/shared';

/** Lower is sooner in BullMQ; every job gets one so priority episodes overtake the rest. */
export const PRIORITY_URGENT = 1;
export const PRIORITY_NORMAL = 100;

/** One queue per stage, plus the connection they share (for our own keys: claims, latest run). */
export type StageQueues = Record<StageName, Queue> & { readonly redis: Redis };

/**
 * Workers block on Redis, so their connections must retry forever (maxRetriesPerRequest null);
 * a Redis restart then pauses work instead of failing jobs. Clients (CLI, API) give up on a
 * command after 3 reconnect attempts so a caller gets an answer while Redis is down.
 * Reconnects back off linearly to at most 1 s: ioredis 6's default doubles up to 5 s, which
 * makes every later request of an API process wait ~6 s during an outage and delays
 * recovery after a restart by as much.
 */
export function createRedis(url: string, role: 'worker' | 'client'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    enableReadyCheck: true,
    connectionName: `podpreview-${role}`,
  });
}

export function createQueues(redis: Redis, config: Pick<Config, 'queuePrefix'>): StageQueues {
  const queues = Object.fromEntries(STAGES.map((s) => [s.name, new Queue(s.queue, { connection: redis, prefix: config.queuePrefix })]));
  return { ...(queues as Record<StageName, Queue>), redis };
}

/** Closes the queues and the connection they share (BullMQ leaves a connection it was given open). */
export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(STAGES.map((s) => queues[s.name].close()));
  queues.redis.disconnect();
}

export function jobOptions(
  config: Pick<Config, 'attempts' | 'backoffMs' | 'keepCompletedJobs' | 'keepFailedJobs'>,
  runId: string,
  urgent: boolean,
): JobsOptions {
  return {
    // The run id names the job in every queue: re-adding after a crash between "next stage
    // enqueued" and "this job completed" is then a no-op instead of a duplicate run.
    jobId: runId,
    priority: urgent ? PRIORITY_URGENT : PRIORITY_NORMAL,
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    removeOnComplete: { count: config.keepCompletedJobs },
    removeOnFail: { count: config.keepFailedJobs },
  };
}
