import { Queue, type JobsOptions } from 'bullmq';
import { MAX_PAYLOAD_BYTES, STAGES, type Config, type StageName, type VariantName } from '@podpreview/shared';
import { ownKeyPrefix, queueKeyPrefix } from './key-prefix.ts';
import type { RedisConnection } from './redis.ts';
import { queueTelemetry } from './telemetry.ts';
import { createCallbackQueue } from './callbacks.ts';
import { type RunLimits, RunStore } from './run-store.ts';

/** Lower is sooner in BullMQ; every job gets one so priority episodes overtake the rest. */
export const PRIORITY_URGENT = 1;
export const PRIORITY_NORMAL = 100;

/** Ends the BullMQ worker name of a stage's priority lane (see PriorityLanes in the pipeline). */
export const PRIORITY_LANE_SUFFIX = '-priority';

/**
 * Workers taking `q`'s jobs, a process's priority lane not counted (it only wakes for priority
 * jobs, so it is no capacity for the backlog): what dashboards and alerts call a stage's workers.
 */
export async function stageWorkerCount(q: Queue): Promise<number> {
  const clients = (await q.getWorkers()) as { rawname?: string }[];
  return clients.filter((c) => !c.rawname?.endsWith(PRIORITY_LANE_SUFFIX)).length;
}

/**
 * One queue per stage, plus the connection they share, the key prefix (for our own keys: claims,
 * run state), the variant they belong to and, where a shadow (staging) or fallback variant is
 * configured, its queues on the same connection.
 */
export type StageQueues = Record<StageName, Queue> & {
  readonly redis: RedisConnection;
  /** PODPREVIEW_QUEUE_PREFIX of this variant (BullMQ's key prefix, before any cluster hash tag). */
  readonly queuePrefix: string;
  /** This variant's completion-callback queue (delivered by `podpreview serve`), for reading it. */
  readonly callbacks: Queue;
  readonly prefix: string;
  /** This variant's run records, indexes, claims and flags. */
  readonly runs: RunStore;
  readonly variant: VariantName;
  readonly shadow?: StageQueues;
  readonly fallback?: StageQueues;
};

export function createQueues(
  redis: RedisConnection,
  config: Pick<Config, 'queuePrefix'> & RunLimits & Partial<Pick<Config, 'shadowQueuePrefix' | 'fallback' | 'variant' | 'tracing'>>,
): StageQueues {
  const telemetry = queueTelemetry(config);
  const queues = Object.fromEntries(
    STAGES.map((s) => {
      const queue = new Queue(s.queue, { connection: redis, prefix: queueKeyPrefix(config.queuePrefix, s.queue, redis.isCluster), telemetry });
      // Connection errors surface on the commands that fail (and are answered there); without
      // a listener BullMQ prints each reconnect attempt.
      queue.on('error', () => {});
      return [s.name, queue];
    }),
  );
  const shadow =
    config.shadowQueuePrefix && config.shadowQueuePrefix !== config.queuePrefix
      ? createQueues(redis, { ...limitsOf(config), queuePrefix: config.shadowQueuePrefix, variant: 'staging', tracing: config.tracing })
      : undefined;
  const fallback = config.fallback
    ? createQueues(redis, { ...limitsOf(config), queuePrefix: config.fallback.queuePrefix, variant: 'fallback', tracing: config.tracing })
    : undefined;
  const prefix = ownKeyPrefix(config.queuePrefix, redis.isCluster);
  return {
    ...(queues as Record<StageName, Queue>),
    redis,
    queuePrefix: config.queuePrefix,
    callbacks: createCallbackQueue(redis, config),
    prefix,
    runs: new RunStore(redis, prefix, limitsOf(config)),
    variant: config.variant ?? 'production',
    ...(shadow ? { shadow } : {}),
    ...(fallback ? { fallback } : {}),
  };
}

const limitsOf = (c: RunLimits): RunLimits => ({ runStateTtlMs: c.runStateTtlMs, runIndexMax: c.runIndexMax, runsPerEpisodeMax: c.runsPerEpisodeMax });

/** Closes the queues and the connection they share (BullMQ leaves a connection it was given open). */
export async function closeQueues(queues: StageQueues): Promise<void> {
  const all = [queues, queues.shadow, queues.fallback].filter((q): q is StageQueues => q !== undefined);
  for (const q of all) q.runs.close();
  await Promise.all(all.flatMap((q) => [...STAGES.map((s) => q[s.name].close()), q.callbacks.close()]));
  queues.redis.disconnect();
}

/**
 * A stage job's options. How many finished jobs to keep is the workers' setting
 * (PODPREVIEW_KEEP_COMPLETED_JOBS, PODPREVIEW_KEEP_FAILED_JOBS), not each job's: every job's
 * options are stored with it and parsed at each pick-up.
 */
export function jobOptions(config: Pick<Config, 'attempts' | 'backoffMs'>, runId: string, urgent: boolean): JobsOptions {
  return {
    // The run id names the job in every queue: re-adding after a crash between "next stage
    // enqueued" and "this job completed" is then a no-op instead of a duplicate run.
    jobId: runId,
    priority: urgent ? PRIORITY_URGENT : PRIORITY_NORMAL,
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs },
    // Jobs stay small (Redis holds ids and keys, the blob store holds data). BullMQ measures
    // the JSON it writes anyway, so a second serialization here would only cost time.
    sizeLimit: MAX_PAYLOAD_BYTES,
  };
}

/** BullMQ's refusal of a job over its sizeLimit (the only error it words so). */
export const isOversizedJobError = (err: unknown): boolean => err instanceof Error && /^The size of job .* exceeds the limit \d+ bytes$/.test(err.message);
