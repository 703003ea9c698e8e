import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { STAGES, type Config, type StageName } from '@podpreview/shared';

/** Lower is sooner in BullMQ; every job gets one so priority episodes overtake the rest. */
export const PRIORITY_URGENT = 1;
export const PRIORITY_NORMAL = 100;

export type StageQueues = Record<StageName, Queue>;

/**
 * Workers block on Redis, so their connections must retry forever (maxRetriesPerRequest null);
 * a Redis restart then pauses work instead of failing jobs.
 */
export function createRedis(url: string, role: 'worker' | 'client'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableReadyCheck: true,
    connectionName: `podpreview-${role}`,
  });
}

export function createQueues(connection: ConnectionOptions, config: Pick<Config, 'queuePrefix'>): StageQueues {
  return Object.fromEntries(STAGES.map((s) => [s.name, new Queue(s.queue, { connection, prefix: config.queuePrefix })])) as StageQueues;
}

/** Closes the queues and the connection they share (BullMQ leaves a connection it was given open). */
export async function closeQueues(queues: StageQueues): Promise<void> {
  const shared = await queues.preprocess.client;
  await Promise.all(Object.values(queues).map((q) => q.close()));
  shared.disconnect();
}

export function jobOptions(config: Pick<Config, 'attempts' | 'backoffMs' | 'keepCompletedJobs' | 'keepFailedJobs'>, runId: string, urgent: boolean): JobsOptions {
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

/** Hash of episode id → its newest run id, for status look-ups by episode. */
export const latestRunKey = (prefix: string) => `${prefix}:podpreview:latest-run`;
