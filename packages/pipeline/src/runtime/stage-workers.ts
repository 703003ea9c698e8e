import type { Worker } from 'bullmq';
import type { Config, Logger, ResultsSink, StageName } from '@podpreview/shared';
import { closeQueues, createQueues, createRedis, type StageQueues } from '../client/queues.ts';
import type { StageHandler, StageHandlers } from './outcome.ts';
import { startStageWorker } from './stage.worker.ts';

export interface StageWorkersOptions {
  config: Config;
  redisUrl: string;
  stages: StageName[];
  /** A handler for every stage in `stages` (the wiring above the runtime builds them). */
  handlers: Partial<StageHandlers>;
  results: ResultsSink;
  log: Logger;
}

export interface StageWorkers {
  stages: StageName[];
  queues: StageQueues;
  workers: Worker[];
  /** Stops taking jobs, lets in-flight jobs finish for up to `graceMs`, closes connections. */
  stop(graceMs?: number): Promise<{ forced: boolean }>;
}

/** Starts one BullMQ worker per stage in this process, sharing two Redis connections. */
export async function startStageWorkers(o: StageWorkersOptions): Promise<StageWorkers> {
  const { config, log } = o;
  const connection = createRedis(o.redisUrl, 'worker');
  const queues = createQueues(createRedis(o.redisUrl, 'client'), config);
  const workers = o.stages.map((stage) => {
    const handler = o.handlers[stage] as StageHandler<typeof stage> | undefined;
    if (!handler) throw new Error(`stage ${stage} has no handler`);
    return startStageWorker(stage, handler, { config, connection, queues, results: o.results, log });
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    stages: o.stages,
    queues,
    workers,
    stop: async (graceMs = config.shutdownGraceMs) => {
      let forced = false;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timer = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
      if ((await Promise.race([graceful, timer])) === 'timeout') {
        // In-flight jobs are handed back: their locks lapse and another worker picks them up.
        forced = true;
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await closeQueues(queues);
      connection.disconnect();
      return { forced };
    },
  };
}
