import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config, Logger, StageName } from '@podpreview/shared';
import { closeQueues, createQueues, createRedis, type StageQueues } from '../queues.ts';
import { createHandlers, createServices, type Services } from '../services.ts';
import type { StageHandler } from './outcome.ts';
import { startStageWorker } from './stage.worker.ts';

export interface Fleet {
  stages: StageName[];
  services: Services;
  queues: StageQueues;
  workers: Worker[];
  /** Stops taking jobs, lets in-flight jobs finish for up to `graceMs`, closes connections. */
  stop(graceMs?: number): Promise<{ forced: boolean }>;
}

/** Starts one BullMQ worker per stage in this process, sharing models and connections. */
export async function startFleet(config: Config, redisUrl: string, stages: StageName[], log: Logger): Promise<Fleet> {
  const services = createServices(config, log);
  const handlers = await createHandlers(stages, services);
  const connection: Redis = createRedis(redisUrl, 'worker');
  const queues = createQueues(createRedis(redisUrl, 'client'), config);
  const workers = stages.map((stage) => {
    const handler = handlers[stage] as StageHandler<typeof stage> | undefined;
    if (!handler) throw new Error(`stage ${stage} has no handler`);
    return startStageWorker(stage, handler, { config, connection, queues, results: services.results, log });
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ stages, models: services.loadedModelIds() }, 'workers ready');
  return {
    stages,
    services,
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
      await services.close();
      connection.disconnect();
      return { forced };
    },
  };
}
